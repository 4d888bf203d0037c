namespace AkkaKv.Sharding.Placement;

/// <summary>What the placement planner aims for.</summary>
public sealed record PlacementOptions
{
    /// <summary>Voters per shard (fewer while fewer nodes are active). Default 3.</summary>
    public int Replicas { get; init; } = 3;

    /// <summary>Shards that may be changing membership at once (a learner catching up counts). Default 4.</summary>
    public int MaxConcurrentMoves { get; init; } = 4;

    /// <summary>The placement group's shard, whose voters are counted by <see cref="PlacementReplicas"/> instead; none by default.</summary>
    public ShardId? PlacementShard { get; init; }

    /// <summary>Voters of the placement group (the coordinator's own Raft group). Default 5.</summary>
    public int PlacementReplicas { get; init; } = 5;

    /// <summary>The voters <paramref name="shard"/> should have when enough nodes are active.</summary>
    public int ReplicasOf(ShardId shard) => shard == PlacementShard ? PlacementReplicas : Replicas;
}
