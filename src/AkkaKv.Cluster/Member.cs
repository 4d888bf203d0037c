using System.Collections.Immutable;

namespace AkkaKv.Cluster;

/// <summary>
/// One incarnation of a node in the membership: a restarted node (same id and address, new incarnation) is a new
/// member. The name (what operators type), roles and address are fixed for an incarnation; only the status moves.
/// </summary>
public sealed record Member(NodeId Node, string Name, ulong Incarnation, string Address, MemberStatus Status, ImmutableSortedSet<string> Roles)
{
    /// <summary>The member's identity across gossip: node and incarnation.</summary>
    public (NodeId Node, ulong Incarnation) Key => (Node, Incarnation);

    /// <summary>Structural equality (roles by content).</summary>
    public bool Equals(Member? other) =>
        other is not null && Node == other.Node && Incarnation == other.Incarnation &&
        string.Equals(Name, other.Name, StringComparison.Ordinal) &&
        string.Equals(Address, other.Address, StringComparison.Ordinal) && Status == other.Status && Roles.SetEquals(other.Roles);

    public override int GetHashCode() => HashCode.Combine(Node, Incarnation, Status);

    public override string ToString() => $"{Name}@{Address}#{Incarnation} ({Status})";
}
