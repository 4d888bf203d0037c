using AkkaKv.Actors;
using AkkaKv.Raft;

namespace AkkaKv.Sharding;

/// <summary>Start an empty replica of <paramref name="Shard"/> on this node (it joins its group as a learner; the leader sends it everything). Replied to with <see cref="ReplicaStarted"/>.</summary>
public sealed record StartReplica(ShardId Shard);

/// <summary>The replica runs (it did already, or was started).</summary>
public sealed record ReplicaStarted(ShardId Shard);

/// <summary>Stop this node's replica of <paramref name="Shard"/> (removed from its group). Replied to with <see cref="ReplicaStopped"/>.</summary>
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
