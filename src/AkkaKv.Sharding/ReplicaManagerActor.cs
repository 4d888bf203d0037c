using AkkaKv.Actors;
using AkkaKv.Persistence;
using AkkaKv.Persistence.Membership;
using AkkaKv.Persistence.Snapshots;
using AkkaKv.Raft;

namespace AkkaKv.Sharding;

/// <summary>
/// The actor of a node's replica manager (<c>/user/replicas</c>): a thin shell over <see cref="ReplicaManager{TReplica}"/>
/// whose replicas are its children, <see cref="ShardReplicaActor"/>s named <c>shard-N</c>.
/// </summary>
public sealed class ReplicaManagerActor : Actor, IReplicaHosting<IActorRef>
{
    private readonly ReplicaManager<IActorRef> _manager;
    private readonly NodeId _node;
    private readonly IJournal _journal;
    private readonly ISnapshotStore _snapshots;
    private readonly IRaftTransport _transport;
    private readonly RaftGroupOptions _options;

    private ReplicaManagerActor(NodeId node, IJournal journal, ISnapshotStore snapshots, IRaftTransport transport, RaftGroupOptions? options, IClusterMembershipRecord? membership)
    {
        _node = node;
        _journal = journal;
        _snapshots = snapshots;
        _transport = transport;
        _options = (options ?? new RaftGroupOptions()) with { TickedByHost = true };
        _manager = new ReplicaManager<IActorRef>(node, journal, snapshots, membership ?? new InMemoryClusterMembershipRecord(), _options.TickInterval, this, new ActorShell(Self, Timers, Context));
    }

    /// <summary>
    /// The manager of <paramref name="node"/>'s replicas; <paramref name="membership"/> is the durable mark that this
    /// disk has been a cluster member (a file in the data directory on a node) — without one, an in-memory mark that
    /// lasts as long as the manager.
    /// </summary>
    public static Props Props(NodeId node, IJournal journal, ISnapshotStore snapshots, IRaftTransport transport, RaftGroupOptions? options = null, IClusterMembershipRecord? membership = null)
    {
        ArgumentNullException.ThrowIfNull(journal);
        ArgumentNullException.ThrowIfNull(snapshots);
        ArgumentNullException.ThrowIfNull(transport);
        return Actors.Props.Create(() => new ReplicaManagerActor(node, journal, snapshots, transport, options, membership));
    }

    /// <summary>The path segment of a shard's replica under the manager.</summary>
    public static string ReplicaName(ShardId shard) => $"shard-{shard.Value}";

    protected override void PreStart() => _manager.Start();

    protected override void Receive(object message)
    {
        switch (message)
        {
            case RaftTick or WakeReplicas: _manager.Broadcast(message); break;
            case RaftEnvelope envelope: _manager.Deliver(envelope); break;
            case BootstrapReplica bootstrap: _manager.Bootstrap(bootstrap); break;
            case ReplicaManagerRequest request: _manager.Handle(request, new ActorReplyTo<ReplicaManagerReply>(Sender, Self)); break;
            case ReplicaDataDeletion deletion: _manager.Handle(deletion); break;
            case Terminated terminated: _manager.OnReplicaStopped(terminated.Actor); break;
            default: Unhandled(message); break;
        }
    }

    IActorRef IReplicaHosting<IActorRef>.Start(ShardId shard, ConfState initialConf) =>
        Context.ActorOf(ShardReplicaActor.Props(shard, _node, initialConf, _journal, _snapshots, _transport, _options), ReplicaName(shard));

    void IReplicaHosting<IActorRef>.Tell(IActorRef replica, object message) => replica.Tell(message);

    void IReplicaHosting<IActorRef>.Stop(IActorRef replica)
    {
        Context.Watch(replica);
        Context.Stop(replica);
    }
}
