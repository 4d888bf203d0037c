using AkkaKv.Cluster;

namespace AkkaKv.Node;

/// <summary>The body of <c>GET /v1/cluster</c>: this node's view of the membership.</summary>
internal sealed record ClusterDocument(string Self, string? Leader, bool Joined, bool Converged, IReadOnlyList<ClusterMemberDocument> Members)
{
    public static ClusterDocument From(ClusterStateReply reply)
    {
        var state = reply.State;
        var members = state.Members.Values
            .Where(member => member.Status != MemberStatus.Removed)
            .OrderBy(member => member.Address, StringComparer.Ordinal).ThenBy(member => member.Incarnation)
            .Select(member => new ClusterMemberDocument(
                member.Name, member.Address, member.Status.ToString(), state.IsReachable(member.Node), [.. member.Roles], member.Incarnation))
            .ToList();
        var leader = reply.Leader.IsNone ? null : state.Current(reply.Leader)?.Name;
        return new ClusterDocument(reply.Self.Name, leader, reply.Joined, state.IsConverged, members);
    }
}

/// <summary>One member in <see cref="ClusterDocument"/>.</summary>
internal sealed record ClusterMemberDocument(string Node, string Address, string Status, bool Reachable, IReadOnlyList<string> Roles, ulong Incarnation);

/// <summary>The answer to a leave or down request.</summary>
internal sealed record MemberChangeDocument(string Node, string Status);
