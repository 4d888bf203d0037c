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

/// <summary>The current configuration is now <paramref name="Map"/> (a new one, or the one the coordinator started with).</summary>
public sealed record ShardMapChanged(ShardMap Map) : PlacementEvent;

/// <summary>The configuration of <paramref name="Shard"/> was corrected from its group's own membership.</summary>
public sealed record PlacementCorrected(ShardId Shard, ShardReplicas Recorded, ShardReplicas Actual) : PlacementEvent;

/// <summary>A node being drained holds no replica any more: it may leave the cluster now.</summary>
public sealed record NodeDrained(NodeId Node) : PlacementEvent;

/// <summary>The coordinator stopped: its state could not be saved (another may have taken over).</summary>
public sealed record PlacementCoordinatorStopped(string Reason) : PlacementEvent;
