namespace AkkaKv.MultiNode.Tests.Harness;

/// <summary>A node's answer to <c>GET /v1/cluster</c>.</summary>
public sealed record ClusterView(string Self, string? Leader, bool Joined, bool Converged, IReadOnlyList<MemberView> Members)
{
    /// <summary>
    /// The running incarnation of the member named <paramref name="node"/>, or null: while a restarted node's old
    /// incarnation is still listed (downed, on its way out), the live one. Incarnations are Akka.NET's random unique
    /// address ids, so they tell incarnations apart but do not order them.
    /// </summary>
    public MemberView? Member(string node) => Members.Where(member => member.Node == node)
        .OrderBy(member => member.Status switch { "Up" or "WeaklyUp" => 0, "Joining" => 1, "Leaving" or "Exiting" => 2, _ => 3 })
        .FirstOrDefault();

    /// <summary>Names of the members with status Up, sorted.</summary>
    public IReadOnlyList<string> Up => [.. Members.Where(member => member.Status == "Up").Select(member => member.Node).Order(StringComparer.Ordinal)];
}

/// <summary>One member in a <see cref="ClusterView"/>.</summary>
public sealed record MemberView(string Node, string Address, string Status, bool Reachable, IReadOnlyList<string> Roles, ulong Incarnation);
