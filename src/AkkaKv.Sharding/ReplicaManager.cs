using AkkaKv.Actors;
using AkkaKv.Persistence;
using AkkaKv.Persistence.Snapshots;
using AkkaKv.Raft;

namespace AkkaKv.Sharding;

/// <summary>
/// The replicas of one node: starts and stops shard replicas (<see cref="RaftGroupActor"/> children named
/// <c>shard-N</c>, all on the node's one WAL) when the placement asks, and hands each Raft message arriving from the
/// network to the replica of its shard — or drops it when this node holds none.
/// </summary>
public sealed class ReplicaManager : Actor
{
    private readonly NodeId _node;
    private readonly IJournal _journal;
    private readonly ISnapshotStore _snapshots;
    private readonly IRaftTransport _transport;
    private readonly RaftGroupOptions? _options;
    private readonly Dictionary<ShardId, IActorRef> _replicas = [];

    private ReplicaManager(NodeId node, IJournal journal, ISnapshotStore snapshots, IRaftTransport transport, RaftGroupOptions? options)
    {
        _node = node;
        _journal = journal;
        _snapshots = snapshots;
        _transport = transport;
        _options = options;
    }

    public static Props Props(NodeId node, IJournal journal, ISnapshotStore snapshots, IRaftTransport transport, RaftGroupOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(journal);
        ArgumentNullException.ThrowIfNull(snapshots);
        ArgumentNullException.ThrowIfNull(transport);
        return Actors.Props.Create(() => new ReplicaManager(node, journal, snapshots, transport, options));
    }

    /// <summary>The path segment of a shard's replica under the manager.</summary>
    public static string ReplicaName(ShardId shard) => $"shard-{shard.Value}";

    protected override void Receive(object message)
    {
        switch (message)
        {
            case RaftEnvelope envelope:
                if (_replicas.TryGetValue(envelope.Shard, out var target))
                {
                    target.Tell(envelope);
                }
                break;
            case BootstrapReplica bootstrap:
                Ensure(bootstrap.Shard, bootstrap.Conf);
                break;
            case GetLocalReplicas:
                Sender.Tell(new LocalReplicas(new Dictionary<ShardId, IActorRef>(_replicas)));
                break;
            case StartReplica start:
                Sender.Tell(Ensure(start.Shard, ConfState.Empty)
                    ? new ReplicaStarted(start.Shard)
                    : new Status.Failure(new InvalidOperationException($"the previous replica of {start.Shard} on {_node} is still stopping")));
                break;
            case StopReplica stop:
                if (_replicas.Remove(stop.Shard, out var replica))
                {
                    Context.Stop(replica);
                }
                Sender.Tell(new ReplicaStopped(stop.Shard));
                break;
            default:
                Unhandled(message);
                break;
        }
    }

    /// <summary>Starts the replica unless it runs; false while a stopped one still holds its name.</summary>
    private bool Ensure(ShardId shard, ConfState conf)
    {
        if (_replicas.ContainsKey(shard))
        {
            return true;
        }
        if (Context.Child(ReplicaName(shard)) is not null)
        {
            return false;
        }
        _replicas[shard] = Context.ActorOf(RaftGroupActor.Props(shard, _node, conf, _journal, _snapshots, _transport, _options), ReplicaName(shard));
        return true;
    }
}
