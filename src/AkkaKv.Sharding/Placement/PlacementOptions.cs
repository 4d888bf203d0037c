namespace AkkaKv.Sharding.Placement;

/// <summary>What the placement planner aims for.</summary>
public sealed record PlacementOptions
{
    /// <summary>Voters per shard (fewer while fewer nodes are active). Default 3.</summary>
    public int Replicas { get; init; } = 3;

    /// <summary>Shards that may be changing membership at once (a learner catching up counts). Default 4.</summary>
    public int MaxConcurrentMoves { get; init; } = 4;
}
