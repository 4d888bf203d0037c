namespace AkkaKv.Sharding.Placement;

/// <summary>A placement event as kept for operators: when, what kind, and its text.</summary>
public sealed record PlacementEventRecord(DateTimeOffset At, string Kind, string Text);

/// <summary>
/// Asks a node's <see cref="Hosting.NodePlacementHost"/> for the newest <paramref name="Max"/> placement events. A host that does
/// not run the coordinator forwards it (once) to the one that does. Replied to with <see cref="PlacementEventList"/>.
/// </summary>
public sealed record GetPlacementEvents(int Max, bool Forwarded = false);

/// <summary>Placement events, oldest first, as kept by the host of the coordinator that answered (<paramref name="Coordinator"/>).</summary>
public sealed record PlacementEventList(NodeId Coordinator, IReadOnlyList<PlacementEventRecord> Events);
