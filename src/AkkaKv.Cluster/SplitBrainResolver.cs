namespace AkkaKv.Cluster;

/// <summary>
/// Decides, from one member's view of the membership, which members to down when some are unreachable (Akka's
/// split-brain resolver). Every member of a side reaches the same decision from the same table, so the two sides of
/// a clean partition take complementary decisions. Pure: the caller applies it only after the unreachability has
/// been stable for <c>stable-after</c>.
/// </summary>
public static class SplitBrainResolver
{
    /// <summary>The decision for <paramref name="self"/>; <paramref name="staticQuorum"/> is used by <see cref="DowningStrategy.StaticQuorum"/>.</summary>
    public static DowningDecision Decide(MembershipState state, NodeId self, DowningStrategy strategy, int staticQuorum = 0)
    {
        ArgumentNullException.ThrowIfNull(state);
        var members = state.Members.Values
            .Where(member => member.Status is not (MemberStatus.Down or MemberStatus.Removed or MemberStatus.Joining))
            .GroupBy(member => member.Node)
            .Select(group => group.MaxBy(member => member.Incarnation)!)
            .ToList();
        var reachable = members.Where(member => member.Node == self || state.IsReachable(member.Node)).ToList();
        var unreachable = members.Except(reachable).ToList();
        if (unreachable.Count == 0)
        {
            return DowningDecision.None;
        }
        List<NodeId> Nodes(IEnumerable<Member> side) => [.. side.Select(member => member.Node).Order()];
        var keepOurs = new DowningDecision(Nodes(unreachable), "");
        var downOurs = new DowningDecision(Nodes(reachable), "");
        return strategy switch
        {
            DowningStrategy.KeepMajority when reachable.Count != unreachable.Count =>
                reachable.Count > unreachable.Count
                    ? keepOurs with { Reason = $"keep-majority: this side has {reachable.Count} of {members.Count} members" }
                    : downOurs with { Reason = $"keep-majority: this side has only {reachable.Count} of {members.Count} members" },
            DowningStrategy.KeepMajority =>
                string.CompareOrdinal(Lowest(reachable), Lowest(unreachable)) < 0
                    ? keepOurs with { Reason = "keep-majority: a tie, and this side holds the lowest address" }
                    : downOurs with { Reason = "keep-majority: a tie, and the other side holds the lowest address" },
            DowningStrategy.StaticQuorum =>
                reachable.Count >= staticQuorum
                    ? keepOurs with { Reason = $"static-quorum: this side has {reachable.Count} ≥ {staticQuorum} members" }
                    : downOurs with { Reason = $"static-quorum: this side has {reachable.Count} < {staticQuorum} members" },
            DowningStrategy.KeepOldest =>
                reachable.Contains(members.MinBy(member => member.Incarnation)!)
                    ? keepOurs with { Reason = "keep-oldest: this side holds the oldest member" }
                    : downOurs with { Reason = "keep-oldest: the oldest member is on the other side" },
            DowningStrategy.DownAll => new DowningDecision(Nodes(members), "down-all: a partition lasted past stable-after"),
            _ => throw new ArgumentOutOfRangeException(nameof(strategy), strategy, "unknown strategy"),
        };
    }

    private static string Lowest(IEnumerable<Member> side) => side.Select(member => member.Address).Min(StringComparer.Ordinal)!;
}
