namespace AkkaKv.Sharding.Placement;

/// <summary>How the planner may use a node.</summary>
public enum PlacementNodeState
{
    /// <summary>A member that takes replicas and leaders.</summary>
    Active,

    /// <summary>A member leaving gracefully: its replicas move off first, then it goes.</summary>
    Leaving,

    /// <summary>Not answering for now: it keeps its replicas (it may come back) but receives no new replica or leadership.</summary>
    Unreachable,

    /// <summary>Downed or unreachable for longer than <c>replace-down-after</c>: its replicas are replaced elsewhere.</summary>
    Gone,
}

/// <summary>A node as the planner sees it.</summary>
public sealed record PlacementNode(NodeId Node, PlacementNodeState State);
