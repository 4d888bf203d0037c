using Akka.Actor;
using AkkaKv.Persistence;
using AkkaKv.Persistence.Membership;
using AkkaKv.Persistence.Snapshots;
using AkkaKv.Raft;
using AkkaKv.Sharding.Remoting;
using Microsoft.Extensions.Logging;

namespace AkkaKv.Sharding.Hosting;

/// <summary>
/// The Akka.NET actor of a node's replicas (at <see cref="Path"/>, the address peers send Raft batches to): a thin
/// shell over <see cref="ReplicaManager{TReplica}"/> with each replica a child <see cref="ShardReplicaHost"/>
/// (<c>shard-N</c>), stopped replicas seen by death watch. A <see cref="RaftBatch"/> from a peer is unpacked and each
/// message handed to the replica of its shard; a batch addressed to another node is dropped and logged. A
/// <see cref="ShardRequestBatch"/> is unpacked likewise, each request answered through the sender's outbox (a shard
/// without a replica here, or a batch for another node, answered unavailable at once).
/// </summary>
public sealed partial class ReplicaManagerHost : UntypedActor, IWithTimers, IReplicaHosting<IActorRef>
{
    /// <summary>The actor's name under <c>/user</c>.</summary>
    public const string Name = "replicas";

    /// <summary>The actor's path under the node's address.</summary>
    public const string Path = "/user/" + Name;

    private readonly NodeId _node;
    private readonly IJournal _journal;
    private readonly ISnapshotStore _snapshots;
    private readonly IRaftTransport _transport;
    private readonly RaftGroupOptions _options;
    private readonly IClusterMembershipRecord _membership;
    private readonly ILoggerFactory _logging;
    private readonly ILogger _log;
    private readonly TimeProvider _time;
    private readonly ShardTraffic? _traffic;
    private ReplicaManager<IActorRef>? _manager;

    /// <summary>Used by Akka.NET through <see cref="Props"/> (its activator needs a public constructor).</summary>
    public ReplicaManagerHost(NodeId node, IJournal journal, ISnapshotStore snapshots, IRaftTransport transport, RaftGroupOptions options, IClusterMembershipRecord membership, ILoggerFactory logging, TimeProvider time, ShardTraffic? traffic)
    {
        (_node, _journal, _snapshots, _transport, _membership, _logging, _time, _traffic) = (node, journal, snapshots, transport, membership, logging, time, traffic);
        _options = options with { TickedByHost = true };
        _log = logging.CreateLogger<ReplicaManagerHost>();
    }

    /// <summary>The name of <paramref name="shard"/>'s replica, a child of the manager: <c>shard-N</c>.</summary>
    public static string ReplicaName(ShardId shard) => $"shard-{shard.Value}";

    /// <summary>Set by Akka.NET before <see cref="PreStart"/>.</summary>
    public ITimerScheduler Timers { get; set; } = null!;

    /// <summary>
    /// The replicas of <paramref name="node"/> over its journal and snapshot store; answers to requests other nodes
    /// forward go back batched through <paramref name="traffic"/> (without it, one reply message each).
    /// </summary>
    public static Props Props(NodeId node, IJournal journal, ISnapshotStore snapshots, IRaftTransport transport, RaftGroupOptions options, IClusterMembershipRecord membership, ILoggerFactory logging, TimeProvider time, ShardTraffic? traffic = null)
    {
        ArgumentNullException.ThrowIfNull(journal);
        ArgumentNullException.ThrowIfNull(snapshots);
        ArgumentNullException.ThrowIfNull(transport);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(membership);
        ArgumentNullException.ThrowIfNull(logging);
        ArgumentNullException.ThrowIfNull(time);
        return Akka.Actor.Props.Create(() => new ReplicaManagerHost(node, journal, snapshots, transport, options, membership, logging, time, traffic));
    }

    protected override void PreStart()
    {
        _manager = new ReplicaManager<IActorRef>(_node, _journal, _snapshots, _membership, _options.TickInterval, this, new AkkaActorShell(Self, Timers, Context, _time));
        _manager.Start();
    }

    protected override void OnReceive(object message)
    {
        var manager = _manager!;
        switch (message)
        {
            case RaftBatch batch: Deliver(manager, batch); break;
            case ShardRequestBatch requests: Deliver(manager, requests); break;
            case RaftTick or WakeReplicas: manager.Broadcast(message); break;
            case RaftEnvelope envelope: manager.Deliver(envelope); break;
            case BootstrapReplica bootstrap: manager.Bootstrap(bootstrap); break;
            case ReplicaManagerRequest request: manager.Handle(request, new AkkaReplyTo<ReplicaManagerReply>(Sender, Self)); break;
            case ReplicaDataDeletion deletion: manager.Handle(deletion); break;
            case Terminated terminated: manager.OnReplicaStopped(terminated.ActorRef); break;
            default: Unhandled(message); break;
        }
    }

    private void Deliver(ReplicaManager<IActorRef> manager, RaftBatch batch)
    {
        if (batch.To != _node)
        {
            LogMisaddressedBatch(batch.Messages.Count, batch.From, batch.To, _node);
            return;
        }
        foreach (var envelope in batch.Messages)
        {
            manager.Deliver(envelope);
        }
    }

    private void Deliver(ReplicaManager<IActorRef> manager, ShardRequestBatch batch)
    {
        var misaddressed = batch.To != _node;
        if (misaddressed)
        {
            LogMisaddressedRequests(batch.Requests.Count, batch.From, batch.To, _node);
        }
        foreach (var forwarded in batch.Requests)
        {
            var replyTo = new ForwardedReplyTo(_traffic, batch.From, Sender, forwarded.Id);
            if (misaddressed)
            {
                replyTo.Tell(new ShardUnavailable($"this is node {_node}, not {batch.To}"));
            }
            else if (manager.TryGetReplica(forwarded.Shard, out var replica))
            {
                replica.Tell(new ReplyingShardRequest(forwarded.Request, replyTo));
            }
            else
            {
                replyTo.Tell(new ShardUnavailable($"node {_node} has no replica of {forwarded.Shard}"));
            }
        }
    }

    IActorRef IReplicaHosting<IActorRef>.Start(ShardId shard, ConfState initialConf) =>
        Context.ActorOf(ShardReplicaHost.Props(shard, _node, initialConf, _journal, _snapshots, _transport, _options, _logging, _time), ReplicaName(shard));

    void IReplicaHosting<IActorRef>.Tell(IActorRef replica, object message) => replica.Tell(message);

    void IReplicaHosting<IActorRef>.Stop(IActorRef replica)
    {
        Context.Watch(replica);
        Context.Stop(replica);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Dropped a Raft batch of {Count} messages from {From} addressed to {To}: this is {Node} (a peer with a stale view of the cluster?)")]
    private partial void LogMisaddressedBatch(int count, NodeId from, NodeId to, NodeId node);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Answered {Count} requests from {From} addressed to {To} as unavailable: this is {Node} (a peer with a stale view of the cluster?)")]
    private partial void LogMisaddressedRequests(int count, NodeId from, NodeId to, NodeId node);
}
