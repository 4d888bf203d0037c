using System.Collections.Immutable;

namespace AkkaKv.Cluster;

/// <summary>
/// The gossiped membership table as a state-based CRDT: members keyed by (node, incarnation), each with the most
/// advanced status any replica has seen (merge takes the later status in <see cref="MemberStatus"/> order), and a
/// reachability table of (observer, subject) records versioned by their observer (merge keeps the newer record).
/// Merge is commutative, associative and idempotent, so gossip in any order, repeated, converges. "Seen" — who has
/// this exact table — drives convergence and is not part of the merged value. Pure: no clock, no I/O.
/// </summary>
public sealed record MembershipState
{
    public static readonly MembershipState Empty = new();

    /// <summary>Members by identity.</summary>
    public ImmutableSortedDictionary<(NodeId Node, ulong Incarnation), Member> Members { get; init; } =
        ImmutableSortedDictionary<(NodeId, ulong), Member>.Empty;

    /// <summary>Reachability as each observer last reported it: (observer, subject) → (reachable, observer's version).</summary>
    public ImmutableSortedDictionary<(NodeId Observer, NodeId Subject), (bool Reachable, ulong Version)> Reachability { get; init; } =
        ImmutableSortedDictionary<(NodeId, NodeId), (bool, ulong)>.Empty;

    /// <summary>Nodes known to hold exactly this table.</summary>
    public ImmutableSortedSet<NodeId> Seen { get; init; } = [];

    /// <summary>
    /// Adds a joining member (a no-op when that incarnation, or a newer one of the same node, is already known). An
    /// older incarnation of the same node, or another node at the same address, still in the table is marked Down: the
    /// process it stood for has restarted, and the leader removes it.
    /// </summary>
    public MembershipState Join(Member member)
    {
        ArgumentNullException.ThrowIfNull(member);
        if (Members.ContainsKey(member.Key) || Members.Values.Any(other => other.Node == member.Node && other.Incarnation > member.Incarnation))
        {
            return this;
        }
        var members = Members.Add(member.Key, member with { Status = MemberStatus.Joining });
        foreach (var replaced in Members.Values.Where(other => other.Status < MemberStatus.Down &&
                     (other.Node == member.Node || string.Equals(other.Address, member.Address, StringComparison.Ordinal))))
        {
            members = members.SetItem(replaced.Key, replaced with { Status = MemberStatus.Down });
        }
        return Changed(members);
    }

    /// <summary>Moves <paramref name="node"/>'s current incarnation to <paramref name="status"/> if that is later than its status.</summary>
    public MembershipState Advance(NodeId node, MemberStatus status)
    {
        var member = Current(node);
        return member is null || member.Status >= status ? this : Changed(Members.SetItem(member.Key, member with { Status = status }));
    }

    /// <summary><paramref name="observer"/> now sees <paramref name="subject"/> as (un)reachable.</summary>
    public MembershipState Observe(NodeId observer, NodeId subject, bool reachable)
    {
        var version = Reachability.Where(pair => pair.Key.Observer == observer).Select(pair => pair.Value.Version).DefaultIfEmpty(0UL).Max() + 1;
        if (Reachability.TryGetValue((observer, subject), out var current) && current.Reachable == reachable)
        {
            return this;
        }
        return this with { Reachability = Reachability.SetItem((observer, subject), (reachable, version)), Seen = [] };
    }

    /// <summary>The newest incarnation of <paramref name="node"/>, or null.</summary>
    public Member? Current(NodeId node) =>
        Members.Values.Where(member => member.Node == node).MaxBy(member => member.Incarnation);

    /// <summary>True when no live observer currently reports <paramref name="node"/> unreachable.</summary>
    public bool IsReachable(NodeId node) =>
        !Reachability.Any(pair => pair.Key.Subject == node && !pair.Value.Reachable && IsLiveObserver(pair.Key.Observer));

    /// <summary>
    /// The cluster leader: the first reachable Up or Leaving member by address (Akka's rule); while nobody is Up yet
    /// (a cluster forming), the first reachable Joining or WeaklyUp member leads, so the first members come up.
    /// </summary>
    public Member? Leader => FirstReachable(MemberStatus.Up, MemberStatus.Leaving) ?? FirstReachable(MemberStatus.Joining, MemberStatus.WeaklyUp);

    private Member? FirstReachable(MemberStatus first, MemberStatus second) => Members.Values
        .Where(member => (member.Status == first || member.Status == second) && IsReachable(member.Node))
        .OrderBy(member => member.Address, StringComparer.Ordinal)
        .FirstOrDefault();

    /// <summary>
    /// Convergence (Akka's rule): no member other than a Down or Exiting one is unreachable, and every reachable member
    /// that is not Down or Removed has seen this table — an Exiting one too, so it learns it is leaving before it is
    /// removed; once it has stopped (unreachable) it is not waited for. An unreachable member blocks convergence until
    /// it is downed.
    /// </summary>
    public bool IsConverged => Members.Values
        .Where(member => member.Status is not (MemberStatus.Down or MemberStatus.Removed))
        .All(member => IsReachable(member.Node) ? Seen.Contains(member.Node) : member.Status == MemberStatus.Exiting);

    /// <summary>True when some member that is not Down or Removed is unreachable.</summary>
    public bool HasUnreachableMembers => Members.Values
        .Any(member => member.Status is not (MemberStatus.Down or MemberStatus.Removed) && !IsReachable(member.Node));

    /// <summary>This table, as seen by <paramref name="node"/>.</summary>
    public MembershipState SeenBy(NodeId node) => Seen.Contains(node) ? this : this with { Seen = Seen.Add(node) };

    /// <summary>The join of two tables (see the type's summary); "seen" survives only when the value did not change.</summary>
    public MembershipState Merge(MembershipState other)
    {
        ArgumentNullException.ThrowIfNull(other);
        var members = Members;
        foreach (var (key, theirs) in other.Members)
        {
            if (!members.TryGetValue(key, out var ours) || theirs.Status > ours.Status)
            {
                members = members.SetItem(key, ours is null ? theirs : ours with { Status = theirs.Status, Roles = ours.Roles.Union(theirs.Roles) });
            }
            else if (!ours.Roles.SetEquals(theirs.Roles))
            {
                members = members.SetItem(key, ours with { Roles = ours.Roles.Union(theirs.Roles) });
            }
        }
        var reachability = Reachability;
        foreach (var (key, theirs) in other.Reachability)
        {
            if (!reachability.TryGetValue(key, out var ours) || theirs.Version > ours.Version)
            {
                reachability = reachability.SetItem(key, theirs);
            }
        }
        var merged = this with { Members = members, Reachability = reachability, Seen = [] };
        var seen = ImmutableSortedSet<NodeId>.Empty;
        if (merged.SameValueAs(this))
        {
            seen = seen.Union(Seen);
        }
        if (merged.SameValueAs(other))
        {
            seen = seen.Union(other.Seen);
        }
        return merged with { Seen = seen };
    }

    /// <summary>
    /// What the leader does once the table converged: Joining and WeaklyUp → Up, Leaving → Exiting, Exiting and Down →
    /// Removed. While convergence is blocked by unreachable members, the leader only moves reachable Joining members
    /// that have seen the table to WeaklyUp (usable, but not counted by the split-brain resolver). Returns this when
    /// nothing moves.
    /// </summary>
    public MembershipState LeaderActions()
    {
        if (!IsConverged)
        {
            return HasUnreachableMembers ? PromoteWeaklyUp() : this;
        }
        var next = this;
        foreach (var member in Members.Values)
        {
            var target = member.Status switch
            {
                MemberStatus.Joining or MemberStatus.WeaklyUp => MemberStatus.Up,
                MemberStatus.Leaving => MemberStatus.Exiting,
                MemberStatus.Exiting or MemberStatus.Down => MemberStatus.Removed,
                _ => member.Status,
            };
            if (target != member.Status)
            {
                next = next.Changed(next.Members.SetItem(member.Key, member with { Status = target }));
            }
        }
        return next;
    }

    private MembershipState PromoteWeaklyUp()
    {
        var next = this;
        foreach (var member in Members.Values.Where(member =>
                     member.Status == MemberStatus.Joining && IsReachable(member.Node) && Seen.Contains(member.Node) && Current(member.Node) == member))
        {
            next = next.Changed(next.Members.SetItem(member.Key, member with { Status = MemberStatus.WeaklyUp }));
        }
        return next;
    }

    /// <summary>Equal member tables and reachability (ignoring "seen").</summary>
    public bool SameValueAs(MembershipState other)
    {
        ArgumentNullException.ThrowIfNull(other);
        return Members.Count == other.Members.Count && Reachability.Count == other.Reachability.Count &&
               Members.All(pair => other.Members.TryGetValue(pair.Key, out var member) && member.Equals(pair.Value)) &&
               Reachability.All(pair => other.Reachability.TryGetValue(pair.Key, out var record) && record == pair.Value);
    }

    private bool IsLiveObserver(NodeId observer) =>
        Current(observer) is { Status: not (MemberStatus.Down or MemberStatus.Removed) };

    private MembershipState Changed(ImmutableSortedDictionary<(NodeId, ulong), Member> members) =>
        this with { Members = members, Seen = [] };
}
