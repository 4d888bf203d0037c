using AkkaKv.Actors;
using AkkaKv.Persistence;
using AkkaKv.Persistence.Membership;
using AkkaKv.Persistence.Snapshots;
using AkkaKv.Raft;

namespace AkkaKv.Sharding;

/// <summary>
/// The replicas of one node: starts and stops shard replicas (<see cref="RaftGroupActor"/> children named
/// <c>shard-N</c>, all on the node's one WAL) when the placement asks, and hands each Raft message arriving from the
/// network to the replica of its shard — or drops it when this node holds none. A stopped replica's data (its
/// records in the WAL, its snapshots) is deleted before the stop is confirmed, after the disk is marked as a cluster
/// member's (<see cref="IClusterMembershipRecord"/>). At start the replicas with state on disk are recovered; the first
/// node of a new cluster bootstraps every group — never on a disk so marked.
/// </summary>
public sealed class ReplicaManager : Actor
{
    private readonly NodeId _node;
    private readonly IJournal _journal;
    private readonly ISnapshotStore _snapshots;
    private readonly IRaftTransport _transport;
    private readonly RaftGroupOptions _options;
    private readonly IClusterMembershipRecord _membership;
    private readonly Dictionary<ShardId, IActorRef> _replicas = [];
    private readonly Dictionary<IActorRef, (ShardId Shard, List<IActorRef> Waiting)> _stopping = [];

    private ReplicaManager(NodeId node, IJournal journal, ISnapshotStore snapshots, IRaftTransport transport, RaftGroupOptions? options, IClusterMembershipRecord? membership)
    {
        _membership = membership ?? new InMemoryClusterMembershipRecord();
        _node = node;
        _journal = journal;
        _snapshots = snapshots;
        _transport = transport;
        _options = (options ?? new RaftGroupOptions()) with { TickedByHost = true };
    }

    /// <summary>One tick timer for every replica of the node (instead of one per replica).</summary>
    protected override void PreStart() => Timers.StartPeriodicTimer("raft-tick", RaftTick.Instance, _options.TickInterval);

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
        return Actors.Props.Create(() => new ReplicaManager(node, journal, snapshots, transport, options, membership));
    }

    /// <summary>The path segment of a shard's replica under the manager.</summary>
    public static string ReplicaName(ShardId shard) => $"shard-{shard.Value}";

    protected override void Receive(object message)
    {
        switch (message)
        {
            case RaftTick or WakeReplicas:
                foreach (var replica in _replicas.Values)
                {
                    replica.Tell(message);
                }
                break;
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
                OnStop(stop.Shard);
                break;
            case Terminated terminated when _stopping.Remove(terminated.Actor, out var stopped):
                DeleteData(stopped.Shard, stopped.Waiting);
                break;
            case DataDeleted deleted:
                OnDataDeleted(deleted);
                break;
            case StartLocalReplicas:
                if (_journal.Shards.Count > 0)
                {
                    _membership.Record(); // replicas on disk: this disk belongs to a cluster
                }
                foreach (var shard in _journal.Shards)
                {
                    Ensure(shard, ConfState.Empty);
                }
                Sender.Tell(new LocalReplicas(new Dictionary<ShardId, IActorRef>(_replicas)));
                break;
            case BootstrapCluster bootstrap:
                Sender.Tell(OnBootstrapCluster(bootstrap));
                break;
            default:
                Unhandled(message);
                break;
        }
    }

    private void OnStop(ShardId shard)
    {
        if (_replicas.Remove(shard, out var replica))
        {
            // Before its data goes: a disk whose every replica moved away must not look like a new one.
            _membership.Record();
            _stopping[Context.Watch(replica)] = (shard, [Sender]);
            Context.Stop(replica);
            return;
        }
        foreach (var (_, stopping) in _stopping.Where(pair => pair.Value.Shard == shard))
        {
            stopping.Waiting.Add(Sender);
            return;
        }
        Sender.Tell(new ReplicaStopped(shard));
    }

    /// <summary>Deletes a stopped replica's WAL records and snapshots, then confirms the stop.</summary>
    private void DeleteData(ShardId shard, List<IActorRef> waiting)
    {
        var self = Self;
        _journal.RemoveShard(shard, cause => self.Tell(new DataDeleted(shard, waiting, cause)));
    }

    private void OnDataDeleted(DataDeleted deleted)
    {
        if (deleted.Cause is { } cause)
        {
            foreach (var waiter in deleted.Waiting)
            {
                waiter.Tell(new Status.Failure(cause));
            }
            return;
        }
        _snapshots.DeleteAll(deleted.Shard);
        Context.System.EventStream.Publish(new ReplicaDataDeleted(deleted.Shard, _node));
        foreach (var waiter in deleted.Waiting)
        {
            waiter.Tell(new ReplicaStopped(deleted.Shard));
        }
    }

    /// <summary>
    /// Bootstraps every group with this node as its only voter — only for a node with no state at all, or one that
    /// holds every data shard but no placement group (a single node from before clustering). A node that holds some
    /// shards was a member of a cluster: creating the missing groups here would split them.
    /// </summary>
    private ClusterBootstrapped OnBootstrapCluster(BootstrapCluster bootstrap)
    {
        var local = _journal.Shards.Concat(_replicas.Keys).ToHashSet(); // running replicas may not have written yet
        if (local.Contains(bootstrap.PlacementShard))
        {
            return new ClusterBootstrapped(false, "this node already holds a replica of the placement group");
        }
        if (_membership.Exists && local.Count == 0)
        {
            return new ClusterBootstrapped(false, "this node's disk belonged to a cluster (its replicas were moved away): it does not create new groups");
        }
        if (local.Count > 0 && !bootstrap.DataShards.All(local.Contains))
        {
            return new ClusterBootstrapped(false, $"this node holds {local.Count} of {bootstrap.DataShards.Count} shards but no placement group: it belonged to another cluster");
        }
        var conf = new ConfState([_node]);
        foreach (var shard in bootstrap.DataShards.Append(bootstrap.PlacementShard))
        {
            Ensure(shard, conf);
        }
        return new ClusterBootstrapped(true, local.Count == 0 ? "a new cluster" : "existing shards of a single node");
    }

    /// <summary>Starts the replica unless it runs; false while a stopped one still holds its name.</summary>
    private bool Ensure(ShardId shard, ConfState conf)
    {
        if (_replicas.ContainsKey(shard))
        {
            return true;
        }
        if (Context.Child(ReplicaName(shard)) is not null || _stopping.Values.Any(stopping => stopping.Shard == shard))
        {
            return false;
        }
        _replicas[shard] = Context.ActorOf(RaftGroupActor.Props(shard, _node, conf, _journal, _snapshots, _transport, _options), ReplicaName(shard));
        return true;
    }

    private sealed record DataDeleted(ShardId Shard, List<IActorRef> Waiting, Exception? Cause);
}
