using AkkaKv.Actors;

namespace AkkaKv.Sharding;

/// <summary>Where a shard's replicas are (from the current configuration) and how to reach one (local or remote actor).</summary>
public interface IShardLocator
{
    /// <summary>The nodes holding voters of <paramref name="shard"/>, in a stable order.</summary>
    IReadOnlyList<NodeId> ReplicasOf(ShardId shard);

    /// <summary>The replica of <paramref name="shard"/> on <paramref name="node"/>, or null when it cannot be reached.</summary>
    IActorRef? Resolve(ShardId shard, NodeId node);
}
