using Akka.Cluster;
using AkkaKv.Sharding.Hosting;

namespace AkkaKv.Node;

/// <summary>
/// The body of <c>GET /v1/cluster</c>: Akka.Cluster's membership as this node sees it — every member with its address,
/// status, reachability, roles and incarnation (Akka.NET's unique address id), the leader, the oldest member, the
/// unreachable ones — and the split-brain resolver's strategy.
/// </summary>
internal sealed record ClusterDocument(string Self, string? Leader, bool Joined, bool Converged, IReadOnlyList<ClusterMemberDocument> Members)
{
    /// <summary>The oldest Up member (where Akka.NET would run a cluster singleton).</summary>
    public string? Oldest { get; init; }

    /// <summary>Members this node's failure detector does not reach.</summary>
    public IReadOnlyList<string> Unreachable { get; init; } = [];

    /// <summary>The split-brain resolver's strategy and how long the view must be stable before it decides.</summary>
    public SplitBrainResolverDocument? SplitBrainResolver { get; init; }

    public static ClusterDocument From(Akka.Cluster.Cluster cluster, SplitBrainResolverDocument resolver)
    {
        ArgumentNullException.ThrowIfNull(cluster);
        var state = cluster.State;
        var unreachable = state.Unreachable.Select(member => member.UniqueAddress).ToHashSet();
        var members = state.Members
            .Where(member => member.Status != MemberStatus.Removed)
            .OrderBy(member => HostPort(member.Address), StringComparer.Ordinal).ThenBy(IncarnationOf)
            .Select(member => new ClusterMemberDocument(NameOf(member), HostPort(member.Address), member.Status.ToString(),
                !unreachable.Contains(member.UniqueAddress), [.. OperatorRoles(member)], IncarnationOf(member), member.AppVersion.Version))
            .ToList();
        var leader = state.Leader is { } leaderAddress ? state.Members.FirstOrDefault(member => member.Address.Equals(leaderAddress)) : null;
        var oldest = state.Members.Where(member => member.Status is MemberStatus.Up or MemberStatus.Leaving).OrderBy(member => member, Member.AgeOrdering).FirstOrDefault();
        var self = cluster.SelfMember;
        var converged = unreachable.Count == 0 && state.Members.Where(member => member.Status != MemberStatus.Removed).All(member => state.SeenBy.Contains(member.Address));
        return new ClusterDocument(NameOf(self), leader is null ? null : NameOf(leader),
            self.Status is MemberStatus.Up or MemberStatus.WeaklyUp or MemberStatus.Leaving or MemberStatus.Exiting, converged, members)
        {
            Oldest = oldest is null ? null : NameOf(oldest),
            Unreachable = [.. state.Unreachable.Select(NameOf).Order(StringComparer.Ordinal)],
            SplitBrainResolver = resolver,
        };
    }

    /// <summary>A member's AkkaKv node name, or its address for a member of another application.</summary>
    public static string NameOf(Member member) => ClusterMembershipBridge.NameOf(member) ?? member.Address.ToString();

    /// <summary>A member's incarnation: Akka.NET's unique address id (a restart on the same address is a new one).</summary>
    public static ulong IncarnationOf(Member member) => unchecked((ulong)member.UniqueAddress.Uid);

    private static string HostPort(Akka.Actor.Address address) => $"{address.Host}:{address.Port}";

    /// <summary>The roles operators gave the node (<c>akkakv.cluster.roles</c>), without the ones AkkaKv adds to name it.</summary>
    private static IEnumerable<string> OperatorRoles(Member member) => member.Roles.Where(role =>
        role != Hosting.AkkaConfig.AkkaConfigGenerator.NodeRole
        && !role.StartsWith(ClusterMembershipBridge.NodeRolePrefix, StringComparison.Ordinal)
        && !role.StartsWith(ClusterMembershipBridge.NodeIdRolePrefix, StringComparison.Ordinal)).Order(StringComparer.Ordinal);
}

/// <summary>One member in <see cref="ClusterDocument"/>.</summary>
internal sealed record ClusterMemberDocument(string Node, string Address, string Status, bool Reachable, IReadOnlyList<string> Roles, ulong Incarnation, string AppVersion);

/// <summary>The split-brain resolver as configured (<c>akkakv.cluster.split-brain-resolver</c>).</summary>
internal sealed record SplitBrainResolverDocument(string Strategy, double StableAfterSeconds, bool DownAllWhenUnstable);

/// <summary>The answer to a leave or down request.</summary>
internal sealed record MemberChangeDocument(string Node, string Status);
