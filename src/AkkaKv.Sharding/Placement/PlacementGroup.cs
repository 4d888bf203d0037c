namespace AkkaKv.Sharding.Placement;

/// <summary>
/// The placement group: the Raft group, beside the data shards and on the same nodes' WALs, that holds the
/// coordinator's numbered configurations (<see cref="PlacementStore"/>). Its shard id is outside every key range.
/// </summary>
public static class PlacementGroup
{
    public static readonly ShardId Shard = new(uint.MaxValue);

    /// <summary>The data shards of a key space of <paramref name="shardCount"/> shards.</summary>
    public static IReadOnlyList<ShardId> DataShards(int shardCount) => [.. Enumerable.Range(0, shardCount).Select(i => new ShardId((uint)i))];

    /// <summary>The data shards of a key space of <paramref name="shardCount"/> shards, and the placement group.</summary>
    public static IReadOnlyList<ShardId> AllShards(int shardCount) => [.. DataShards(shardCount), Shard];
}
