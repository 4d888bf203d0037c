namespace AkkaKv.Sharding.Placement;

/// <summary>How the placement coordinator works.</summary>
public sealed record PlacementCoordinatorOptions
{
    /// <summary>What the planner aims for.</summary>
    public PlacementOptions Placement { get; init; } = new();

    /// <summary>How often a planning round runs. Default 1 s.</summary>
    public TimeSpan RoundInterval { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>How long a node may be unreachable or downed before its replicas are replaced elsewhere. Default 30 s.</summary>
    public TimeSpan ReplaceDownAfter { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Configurations kept for <c>GET /v1/config/{n}</c>. Default 1,000.</summary>
    public int RetainConfigurations { get; init; } = 1_000;
}
