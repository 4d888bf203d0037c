using AkkaKv.Raft;

namespace AkkaKv.Sharding;

/// <summary>Requests a node's <see cref="ReplicaManager{TReplica}"/> answers, each with one <see cref="ReplicaManagerReply"/>.</summary>
public abstract record ReplicaManagerRequest
{
    private protected ReplicaManagerRequest() { }
}

/// <summary>
/// Start an empty replica of <paramref name="Shard"/> on this node (it joins its group as a learner; the leader sends
/// it everything). Replied to with <see cref="ReplicaStarted"/>, or <see cref="ReplicaNotStarted"/> while a stopped
/// replica of the shard is still being deleted.
/// </summary>
public sealed record StartReplica(ShardId Shard) : ReplicaManagerRequest;

/// <summary>
/// Stop this node's replica of <paramref name="Shard"/> (removed from its group) and delete its data. Replied to with
/// <see cref="ReplicaStopped"/> once the data is gone, or <see cref="ReplicaNotStopped"/> when deleting it failed.
/// </summary>
public sealed record StopReplica(ShardId Shard) : ReplicaManagerRequest;

/// <summary>Local only: the running replicas. Replied to with <see cref="LocalReplicas"/>.</summary>
public sealed record GetLocalReplicas : ReplicaManagerRequest
{
    public static readonly GetLocalReplicas Instance = new();
}

/// <summary>Local only: start every replica that has state on this node's disk (node start). Replied to with <see cref="LocalReplicas"/>.</summary>
public sealed record StartLocalReplicas : ReplicaManagerRequest
{
    public static readonly StartLocalReplicas Instance = new();
}

/// <summary>
/// Local only: this node formed a new cluster — bootstrap <paramref name="DataShards"/> and the placement group with
/// this node as the only voter, unless its disk says it belonged to a cluster. Replied to with <see cref="ClusterBootstrapped"/>.
/// </summary>
public sealed record BootstrapCluster(IReadOnlyList<ShardId> DataShards, ShardId PlacementShard) : ReplicaManagerRequest;

/// <summary>Replies of a <see cref="ReplicaManager{TReplica}"/>.</summary>
public abstract record ReplicaManagerReply
{
    private protected ReplicaManagerReply() { }
}

/// <summary>The replica runs (it did already, or was started).</summary>
public sealed record ReplicaStarted(ShardId Shard) : ReplicaManagerReply;

/// <summary>The replica was not started, for <paramref name="Reason"/>; asking again later is safe.</summary>
public sealed record ReplicaNotStarted(ShardId Shard, string Reason) : ReplicaManagerReply;

/// <summary>The replica no longer runs here, and its data is deleted.</summary>
public sealed record ReplicaStopped(ShardId Shard) : ReplicaManagerReply;

/// <summary>The replica stopped, but deleting its data failed for <paramref name="Reason"/>.</summary>
public sealed record ReplicaNotStopped(ShardId Shard, string Reason) : ReplicaManagerReply;

/// <summary>The shards whose replicas run on this node.</summary>
public sealed record LocalReplicas(IReadOnlyCollection<ShardId> Shards) : ReplicaManagerReply;

/// <summary>Whether the groups were bootstrapped, and why (not).</summary>
public sealed record ClusterBootstrapped(bool Bootstrapped, string Reason) : ReplicaManagerReply;

/// <summary>Local only: create a new group's replica with its initial membership (the first node of a cluster, tests). Not answered.</summary>
public sealed record BootstrapReplica(ShardId Shard, ConfState Conf);

/// <summary>Published when a removed replica's data (WAL records and snapshots) was deleted from <paramref name="Node"/>.</summary>
public sealed record ReplicaDataDeleted(ShardId Shard, NodeId Node);

/// <summary>
/// Wake every replica on this node from quiescence (a replica manager forwards it to each replica). Sent when the
/// cluster's membership changes — a node unreachable, back, restarted or gone — because a sleeping follower does not
/// notice a dead leader by itself.
/// </summary>
public sealed record WakeReplicas
{
    public static readonly WakeReplicas Instance = new();
}

/// <summary>
/// What a <see cref="ReplicaManager{TReplica}"/> posts to itself: deleting a stopped replica's data finished (or
/// failed with <paramref name="Cause"/>); <paramref name="Waiting"/> are the stop requests to answer. Local only.
/// </summary>
public sealed record ReplicaDataDeletion(ShardId Shard, Exception? Cause, IReadOnlyList<IReplyTo<ReplicaManagerReply>> Waiting);
