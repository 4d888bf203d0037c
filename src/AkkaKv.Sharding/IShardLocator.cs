using AkkaKv.Actors;

namespace AkkaKv.Sharding;

/// <summary>Where a shard's replicas are (from the current configuration) and how to reach one (local or remote actor).</summary>
public interface IShardLocator
{
    /// <summary>The nodes holding voters of <paramref name="shard"/>, in a stable order.</summary>
    IReadOnlyList<NodeId> ReplicasOf(ShardId shard);

    /// <summary>
    /// The configuration epoch of <paramref name="shard"/> that <see cref="ReplicasOf"/> reflects (0 when unknown):
    /// relaxed reads carry it so that a replica behind that configuration does not answer them.
    /// </summary>
    LogIndex EpochOf(ShardId shard) => default;

    /// <summary>The replica of <paramref name="shard"/> on <paramref name="node"/>, or null when it cannot be reached.</summary>
    IActorRef? Resolve(ShardId shard, NodeId node);
}
