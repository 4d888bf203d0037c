using Akka.Actor;
using AkkaKv.Persistence;
using AkkaKv.Persistence.Snapshots;
using AkkaKv.Raft;
using Microsoft.Extensions.Logging;

namespace AkkaKv.Sharding.Hosting;

/// <summary>
/// The Akka.NET actor of one shard replica: a thin shell over <see cref="ShardReplica"/> — every message is one
/// synchronous call into it, its timers are the actor's (<see cref="IWithTimers"/>), and replies go to the sender (or,
/// for a <see cref="ReplyingShardRequest"/>, where it says).
/// </summary>
public sealed class ShardReplicaHost : UntypedActor, IWithTimers
{
    private const string TickTimerKey = "raft-tick";
    private readonly ShardId _shard;
    private readonly NodeId _node;
    private readonly ConfState _initialConf;
    private readonly IJournal _journal;
    private readonly ISnapshotStore _snapshots;
    private readonly IRaftTransport _transport;
    private readonly RaftGroupOptions _options;
    private readonly ILoggerFactory _logging;
    private readonly TimeProvider _time;
    private ShardReplica? _replica;

    /// <summary>Used by Akka.NET through <see cref="Props"/> (its activator needs a public constructor).</summary>
    public ShardReplicaHost(ShardId shard, NodeId node, ConfState initialConf, IJournal journal, ISnapshotStore snapshots, IRaftTransport transport, RaftGroupOptions options, ILoggerFactory logging, TimeProvider time)
    {
        (_shard, _node, _initialConf, _journal, _snapshots, _transport, _options, _logging, _time) = (shard, node, initialConf, journal, snapshots, transport, options, logging, time);
    }

    /// <summary>Set by Akka.NET before <see cref="PreStart"/>.</summary>
    public ITimerScheduler Timers { get; set; } = null!;

    /// <summary>A replica of <paramref name="shard"/> on <paramref name="node"/>; see <see cref="ShardReplica"/>.</summary>
    public static Props Props(ShardId shard, NodeId node, ConfState initialConf, IJournal journal, ISnapshotStore snapshots, IRaftTransport transport, RaftGroupOptions options, ILoggerFactory logging, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(initialConf);
        ArgumentNullException.ThrowIfNull(journal);
        ArgumentNullException.ThrowIfNull(snapshots);
        ArgumentNullException.ThrowIfNull(transport);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(logging);
        ArgumentNullException.ThrowIfNull(time);
        return Akka.Actor.Props.Create(() => new ShardReplicaHost(shard, node, initialConf, journal, snapshots, transport, options, logging, time));
    }

    protected override void PreStart()
    {
        _replica = new ShardReplica(_shard, _node, _initialConf, _journal, _snapshots, _transport, _options,
            new AkkaActorShell(Self, Timers, Context, _time), new Random(), _logging.CreateLogger<ShardReplica>());
        _replica.Start();
        if (!_options.TickedByHost)
        {
            Timers.StartPeriodicTimer(TickTimerKey, RaftTick.Instance, _options.TickInterval);
        }
    }

    protected override void PostStop() => _replica?.Stop();

    protected override void OnReceive(object message)
    {
        var replica = _replica!;
        switch (message)
        {
            case RaftEnvelope envelope: replica.Step(envelope.Message); break;
            case RaftTick: replica.Tick(); break;
            case WakeReplicas: replica.Wake(); break;
            case ShardRequest request: replica.Handle(request, new AkkaReplyTo<ShardReply>(Sender, Self)); break;
            case ReplyingShardRequest request: replica.Handle(request.Request, request.ReplyTo); break;
            case ShardReplicaSignal signal: replica.Handle(signal); break;
            default: Unhandled(message); break;
        }
    }
}
