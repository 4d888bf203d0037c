namespace AkkaKv.MultiNode.Tests.Harness;

/// <summary>A node's answer to <c>GET /v1/cluster</c>.</summary>
public sealed record ClusterView(string Self, string? Leader, bool Joined, bool Converged, IReadOnlyList<MemberView> Members)
{
    /// <summary>The newest incarnation of the member named <paramref name="node"/>, or null.</summary>
    public MemberView? Member(string node) => Members.Where(member => member.Node == node).MaxBy(member => member.Incarnation);

    /// <summary>Names of the members with status Up, sorted.</summary>
    public IReadOnlyList<string> Up => [.. Members.Where(member => member.Status == "Up").Select(member => member.Node).Order(StringComparer.Ordinal)];
}

/// <summary>One member in a <see cref="ClusterView"/>.</summary>
public sealed record MemberView(string Node, string Address, string Status, bool Reachable, IReadOnlyList<string> Roles, ulong Incarnation);
