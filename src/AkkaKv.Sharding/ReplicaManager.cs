using AkkaKv.Persistence;
using AkkaKv.Persistence.Membership;
using AkkaKv.Persistence.Snapshots;
using AkkaKv.Raft;

namespace AkkaKv.Sharding;

/// <summary>
/// The replicas of one node, as a plain state machine: starts and stops shard replicas when the placement asks (all
/// on the node's one WAL), ticks them all from one timer, and hands each Raft message arriving from the network to
/// the replica of its shard — or drops it when this node holds none. A stopped replica's data (its records in the
/// WAL, its snapshots) is deleted before the stop is confirmed, after the disk is marked as a cluster member's
/// (<see cref="IClusterMembershipRecord"/>). At start the replicas with state on disk are recovered; the first node of
/// a new cluster bootstraps every group — never on a disk so marked. <see cref="Hosting.ReplicaManagerHost"/> hosts it.
/// </summary>
/// <typeparam name="TReplica">A reference to a running replica (see <see cref="IReplicaHosting{TReplica}"/>).</typeparam>
public sealed class ReplicaManager<TReplica>
    where TReplica : notnull
{
    private const string TickTimerKey = "raft-tick";
    private readonly NodeId _node;
    private readonly IJournal _journal;
    private readonly ISnapshotStore _snapshots;
    private readonly IClusterMembershipRecord _membership;
    private readonly IReplicaHosting<TReplica> _hosting;
    private readonly IActorShell _shell;
    private readonly TimeSpan _tickInterval;
    private readonly Dictionary<ShardId, TReplica> _replicas = [];
    private readonly Dictionary<TReplica, (ShardId Shard, List<IReplyTo<ReplicaManagerReply>> Waiting)> _stopping = [];

    /// <summary>
    /// The manager of <paramref name="node"/>'s replicas, ticking them every <paramref name="tickInterval"/>;
    /// <paramref name="membership"/> is the durable mark that this disk has been a cluster member (a file in the data
    /// directory on a node).
    /// </summary>
    public ReplicaManager(NodeId node, IJournal journal, ISnapshotStore snapshots, IClusterMembershipRecord membership, TimeSpan tickInterval, IReplicaHosting<TReplica> hosting, IActorShell shell)
    {
        ArgumentNullException.ThrowIfNull(journal);
        ArgumentNullException.ThrowIfNull(snapshots);
        ArgumentNullException.ThrowIfNull(membership);
        ArgumentNullException.ThrowIfNull(hosting);
        ArgumentNullException.ThrowIfNull(shell);
        _node = node;
        _journal = journal;
        _snapshots = snapshots;
        _membership = membership;
        _tickInterval = tickInterval;
        _hosting = hosting;
        _shell = shell;
    }

    /// <summary>Starts the one tick timer of every replica of the node.</summary>
    public void Start() => _shell.StartPeriodicTimer(TickTimerKey, RaftTick.Instance, _tickInterval);

    /// <summary>The running replica of <paramref name="shard"/>, if any.</summary>
    public bool TryGetReplica(ShardId shard, out TReplica replica) => _replicas.TryGetValue(shard, out replica!);

    /// <summary>Ticks or wakes every replica.</summary>
    public void Broadcast(object message)
    {
        foreach (var replica in _replicas.Values)
        {
            _hosting.Tell(replica, message);
        }
    }

    /// <summary>A Raft message from a peer: to the local replica of its shard, or dropped (as if lost) when there is none.</summary>
    public void Deliver(RaftEnvelope envelope)
    {
        ArgumentNullException.ThrowIfNull(envelope);
        if (_replicas.TryGetValue(envelope.Shard, out var replica))
        {
            _hosting.Tell(replica, envelope);
        }
    }

    /// <summary>Creates a new group's replica with its initial membership (unless it runs).</summary>
    public void Bootstrap(BootstrapReplica bootstrap)
    {
        ArgumentNullException.ThrowIfNull(bootstrap);
        Ensure(bootstrap.Shard, bootstrap.Conf);
    }

    public void Handle(ReplicaManagerRequest request, IReplyTo<ReplicaManagerReply> replyTo)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(replyTo);
        switch (request)
        {
            case GetLocalReplicas:
                replyTo.Tell(new LocalReplicas([.. _replicas.Keys]));
                break;
            case StartReplica start:
                // The placement gives this node a replica: from now on its disk is a cluster member's.
                _membership.Record();
                replyTo.Tell(Ensure(start.Shard, ConfState.Empty)
                    ? new ReplicaStarted(start.Shard)
                    : new ReplicaNotStarted(start.Shard, $"the previous replica of {start.Shard} on {_node} is still stopping"));
                break;
            case StopReplica stop:
                OnStop(stop.Shard, replyTo);
                break;
            case StartLocalReplicas:
                foreach (var shard in _journal.Shards)
                {
                    Ensure(shard, ConfState.Empty);
                }
                replyTo.Tell(new LocalReplicas([.. _replicas.Keys]));
                break;
            case BootstrapCluster bootstrap:
                replyTo.Tell(OnBootstrapCluster(bootstrap));
                break;
            default:
                throw new InvalidOperationException($"Unhandled request {request}");
        }
    }

    /// <summary>A replica this manager stopped has stopped: its data is deleted next.</summary>
    public void OnReplicaStopped(TReplica replica)
    {
        if (_stopping.Remove(replica, out var stopped))
        {
            var shell = _shell;
            var waiting = stopped.Waiting;
            var shard = stopped.Shard;
            _journal.RemoveShard(shard, cause => shell.Post(new ReplicaDataDeletion(shard, cause, waiting)));
        }
    }

    /// <summary>Deleting a stopped replica's WAL records finished: its snapshots go too, then the stop is confirmed.</summary>
    public void Handle(ReplicaDataDeletion deleted)
    {
        ArgumentNullException.ThrowIfNull(deleted);
        if (deleted.Cause is { } cause)
        {
            foreach (var waiter in deleted.Waiting)
            {
                waiter.Tell(new ReplicaNotStopped(deleted.Shard, cause.Message));
            }
            return;
        }
        _snapshots.DeleteAll(deleted.Shard);
        _shell.Publish(new ReplicaDataDeleted(deleted.Shard, _node));
        foreach (var waiter in deleted.Waiting)
        {
            waiter.Tell(new ReplicaStopped(deleted.Shard));
        }
    }

    private void OnStop(ShardId shard, IReplyTo<ReplicaManagerReply> replyTo)
    {
        if (_replicas.Remove(shard, out var replica))
        {
            // Before its data goes: a disk whose every replica moved away must not look like a new one.
            _membership.Record();
            _stopping[replica] = (shard, [replyTo]);
            _hosting.Stop(replica);
            return;
        }
        foreach (var (_, stopping) in _stopping.Where(pair => pair.Value.Shard == shard))
        {
            stopping.Waiting.Add(replyTo);
            return;
        }
        replyTo.Tell(new ReplicaStopped(shard));
    }

    /// <summary>
    /// Bootstraps every group with this node as its only voter — only for a node with no state at all, or one that
    /// holds every data shard but no placement group (a single node from before clustering). A disk marked as a
    /// cluster member's (it was given a replica or had one moved away) and a node that holds
    /// some shards were part of a cluster: creating the missing groups there would split them — a node whose
    /// placement replica moved away still holds every data shard, and must not found a second placement group.
    /// </summary>
    private ClusterBootstrapped OnBootstrapCluster(BootstrapCluster bootstrap)
    {
        var local = _journal.Shards.Concat(_replicas.Keys).ToHashSet(); // running replicas may not have written yet
        if (local.Contains(bootstrap.PlacementShard))
        {
            return new ClusterBootstrapped(false, "this node already holds a replica of the placement group");
        }
        if (_membership.Exists)
        {
            return new ClusterBootstrapped(false, "this node's disk belonged to a cluster (it was given replicas or had them moved away): it does not create new groups");
        }
        if (local.Count > 0 && !bootstrap.DataShards.All(local.Contains))
        {
            return new ClusterBootstrapped(false, $"this node holds {local.Count} of {bootstrap.DataShards.Count} shards but no placement group: it belonged to another cluster");
        }
        // Not marked here: a crash before the bootstrap is durable must let the node bootstrap again; once it is,
        // the placement group's replica on disk refuses a second bootstrap.
        var conf = new ConfState([_node]);
        foreach (var shard in bootstrap.DataShards.Append(bootstrap.PlacementShard))
        {
            Ensure(shard, conf);
        }
        return new ClusterBootstrapped(true, local.Count == 0 ? "a new cluster" : "existing shards of a single node");
    }

    /// <summary>Starts the replica unless it runs; false while a stopped one is still being deleted.</summary>
    private bool Ensure(ShardId shard, ConfState conf)
    {
        if (_replicas.ContainsKey(shard))
        {
            return true;
        }
        if (_stopping.Values.Any(stopping => stopping.Shard == shard))
        {
            return false;
        }
        _replicas[shard] = _hosting.Start(shard, conf);
        return true;
    }
}
