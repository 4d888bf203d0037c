using AkkaKv.Actors;
using AkkaKv.Persistence;
using AkkaKv.Persistence.Snapshots;
using AkkaKv.Raft;

namespace AkkaKv.Sharding;

/// <summary>
/// The actor of one shard replica: a thin shell over <see cref="ShardReplica"/>, which holds all the logic. It hands
/// the replica its messages and, unless its host ticks it (<see cref="RaftGroupOptions.TickedByHost"/>), runs its
/// tick timer.
/// </summary>
public sealed class ShardReplicaActor : Actor
{
    private const string TickTimerKey = "raft-tick";
    private readonly ShardReplica _replica;
    private readonly RaftGroupOptions _options;

    private ShardReplicaActor(ShardId shard, NodeId node, ConfState initialConf, IJournal journal, ISnapshotStore snapshots, IRaftTransport transport, RaftGroupOptions options)
    {
        _options = options;
        _replica = new ShardReplica(shard, node, initialConf, journal, snapshots, transport, options, new ActorShell(Self, Timers, Context), Context.Random, Log);
    }

    /// <summary>
    /// Props of <paramref name="node"/>'s replica of <paramref name="shard"/>. <paramref name="initialConf"/> is the
    /// membership a brand-new group starts with (ignored when the shard has state); pass
    /// <see cref="ConfState.Empty"/> for a replica that joins an existing group and learns it from the leader.
    /// </summary>
    public static Props Props(ShardId shard, NodeId node, ConfState initialConf, IJournal journal, ISnapshotStore snapshots, IRaftTransport transport, RaftGroupOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(initialConf);
        ArgumentNullException.ThrowIfNull(journal);
        ArgumentNullException.ThrowIfNull(snapshots);
        ArgumentNullException.ThrowIfNull(transport);
        return Actors.Props.Create(() => new ShardReplicaActor(shard, node, initialConf, journal, snapshots, transport, options ?? new RaftGroupOptions()));
    }

    protected override void PreStart()
    {
        _replica.Start();
        if (!_options.TickedByHost)
        {
            Timers.StartPeriodicTimer(TickTimerKey, RaftTick.Instance, _options.TickInterval);
        }
    }

    protected override void PostStop() => _replica.Stop();

    protected override void Receive(object message)
    {
        switch (message)
        {
            case RaftEnvelope envelope: _replica.Step(envelope.Message); break;
            case RaftTick: _replica.Tick(); break;
            case WakeReplicas: _replica.Wake(); break;
            case ShardRequest request: _replica.Handle(request, new ActorReplyTo<ShardReply>(Sender, Self)); break;
            case ShardReplicaSignal signal: _replica.Handle(signal); break;
            default: Unhandled(message); break;
        }
    }
}
