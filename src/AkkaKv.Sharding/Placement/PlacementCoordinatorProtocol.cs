namespace AkkaKv.Sharding.Placement;

/// <summary>A node can host replicas (a member came Up, or became reachable again).</summary>
public sealed record NodeAvailable(NodeId Node);

/// <summary>A node is leaving gracefully: its replicas and leaderships move off first.</summary>
public sealed record NodeLeaving(NodeId Node);

/// <summary>A node stopped answering (unreachable or downed); its replicas are replaced after <c>replace-down-after</c> unless it comes back.</summary>
public sealed record NodeUnavailable(NodeId Node);

/// <summary>A node is gone for good (removed from the cluster); its replicas are replaced now.</summary>
public sealed record NodeGone(NodeId Node);

/// <summary>The learner of <paramref name="Shard"/> on <paramref name="Node"/> has caught up with its leader.</summary>
public sealed record LearnerCaughtUp(ShardId Shard, NodeId Node);

/// <summary>The leader of <paramref name="Shard"/> is now <paramref name="Leader"/> (from status reports).</summary>
public sealed record ShardLeaderReported(ShardId Shard, NodeId Leader);

/// <summary>Replied to with <see cref="ShardMapHistory"/>.</summary>
public sealed record GetPlacement
{
    public static readonly GetPlacement Instance = new();
}

/// <summary>
/// The membership as this node sees it: every member's placement state. Nodes holding replicas that are not listed
/// are taken as unreachable (replaced after <c>replace-down-after</c>).
/// </summary>
public sealed record NodesObserved(IReadOnlyList<PlacementNode> Nodes);

/// <summary>The coordinator (on <paramref name="Coordinator"/>) tells every node's placement host the current configuration.</summary>
public sealed record ShardMapPublished(ShardMap Map, NodeId Coordinator);
