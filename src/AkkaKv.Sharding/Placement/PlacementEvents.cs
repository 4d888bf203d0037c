namespace AkkaKv.Sharding.Placement;

/// <summary>Events of the placement coordinator, published on the actor system's event stream for operators, logs and metrics.</summary>
public abstract record PlacementEvent
{
    private protected PlacementEvent() { }
}

/// <summary>A planning round chose <paramref name="Steps"/> on configuration <paramref name="Configuration"/>.</summary>
public sealed record PlacementRoundPlanned(long Configuration, IReadOnlyList<PlacementStep> Steps) : PlacementEvent;

/// <summary>A step was applied by its shard's group; <paramref name="Configuration"/> is the configuration it made.</summary>
public sealed record PlacementStepCompleted(PlacementStep Step, long Configuration) : PlacementEvent;

/// <summary>A step was not applied; the next round plans again.</summary>
public sealed record PlacementStepFailed(PlacementStep Step, string Reason) : PlacementEvent;
