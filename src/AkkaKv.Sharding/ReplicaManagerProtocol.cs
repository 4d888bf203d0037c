using AkkaKv.Actors;
using AkkaKv.Raft;

namespace AkkaKv.Sharding;

/// <summary>Start an empty replica of <paramref name="Shard"/> on this node (it joins its group as a learner; the leader sends it everything). Replied to with <see cref="ReplicaStarted"/>.</summary>
public sealed record StartReplica(ShardId Shard);

/// <summary>The replica runs (it did already, or was started).</summary>
public sealed record ReplicaStarted(ShardId Shard);

/// <summary>Stop this node's replica of <paramref name="Shard"/> (removed from its group) and delete its data. Replied to with <see cref="ReplicaStopped"/> once the data is gone.</summary>
public sealed record StopReplica(ShardId Shard);

/// <summary>The replica no longer runs here.</summary>
public sealed record ReplicaStopped(ShardId Shard);

/// <summary>Local only: create a new group's replica with its initial membership (the first node of a cluster).</summary>
public sealed record BootstrapReplica(ShardId Shard, ConfState Conf);

/// <summary>Local only: the running replicas. Replied to with <see cref="LocalReplicas"/>.</summary>
public sealed record GetLocalReplicas
{
    public static readonly GetLocalReplicas Instance = new();
}

/// <summary>The replicas running on this node, by shard.</summary>
public sealed record LocalReplicas(IReadOnlyDictionary<ShardId, IActorRef> Replicas);

/// <summary>Local only: start every replica that has state on this node's disk (node start). Replied to with <see cref="LocalReplicas"/>.</summary>
public sealed record StartLocalReplicas
{
    public static readonly StartLocalReplicas Instance = new();
}

/// <summary>
/// Local only: this node formed a new cluster — bootstrap <paramref name="DataShards"/> and the placement group with
/// this node as the only voter, unless its disk says it belonged to a cluster. Replied to with <see cref="ClusterBootstrapped"/>.
/// </summary>
public sealed record BootstrapCluster(IReadOnlyList<ShardId> DataShards, ShardId PlacementShard);

/// <summary>Whether the groups were bootstrapped, and why (not).</summary>
public sealed record ClusterBootstrapped(bool Bootstrapped, string Reason);

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
