using AkkaKv.Sharding.Placement;

namespace AkkaKv.Sharding.Hosting;

/// <summary>
/// What a membership change asks of the node: the nodes as placement sees them, whether the replicas should wake
/// (any member's phase, incarnation or reachability changed), peers whose address changed (null: gone), and whether
/// this node formed a new cluster and must bootstrap the groups (at most once).
/// </summary>
public sealed record MembershipReaction(
    IReadOnlyList<PlacementNode> Nodes,
    bool WakeReplicas,
    IReadOnlyList<(NodeId Node, string? Address)> AddressChanges,
    bool Bootstrap);
