namespace AkkaKv.Cluster.Tests;

/// <summary>
/// The gossiped membership table is a CRDT: merge is commutative, associative and idempotent and never moves a
/// member backwards; gossip in random order converges; the leader (first reachable Up member by address) moves
/// members on once the table converged; unreachable members are not waited for. Method: seeded random tables and
/// gossip rounds.
/// </summary>
public sealed class MembershipStateTests
{
    private static Member NewMember(int node, ulong incarnation = 1, params string[] roles) =>
        new(new NodeId((ulong)node), $"node{node}", incarnation, $"10.0.0.{node}:2551", MemberStatus.Joining, [.. roles]);

    /// <summary>A random table derived from a common base by random operations (as replicas' views diverge).</summary>
    private static MembershipState RandomVariant(MembershipState based, Random random)
    {
        var state = based;
        for (var step = random.Next(8); step > 0; step--)
        {
            var node = new NodeId((ulong)(1 + random.Next(5)));
            state = random.Next(4) switch
            {
                0 => state.Join(NewMember((int)node.Value, (ulong)(1 + random.Next(2)), random.Next(2) == 0 ? "a" : "b")),
                1 => state.Advance(node, (MemberStatus)random.Next(7)),
                2 => state.Observe(new NodeId((ulong)(1 + random.Next(5))), node, random.Next(2) == 0),
                _ => state.SeenBy(node),
            };
        }
        return state;
    }

    public static TheoryData<int> Seeds() => [.. Enumerable.Range(1, 30)];

    [Theory]
    [MemberData(nameof(Seeds))]
    public void Merge_is_commutative_associative_idempotent_and_monotone(int seed)
    {
        var random = new Random(seed);
        var based = RandomVariant(MembershipState.Empty, random);
        var a = RandomVariant(based, random);
        var b = RandomVariant(based, random);
        var c = RandomVariant(based, random);
        Assert.True(a.Merge(b).SameValueAs(b.Merge(a)), "commutative");
        Assert.True(a.Merge(b).Merge(c).SameValueAs(a.Merge(b.Merge(c))), "associative");
        Assert.True(a.Merge(a).SameValueAs(a), "idempotent");
        var merged = a.Merge(b);
        foreach (var (key, member) in a.Members.Concat(b.Members))
        {
            Assert.True(merged.Members[key].Status >= member.Status, "a member never goes back");
        }
    }

    [Fact]
    public void Gossip_in_random_order_converges_and_the_leader_brings_joiners_up()
    {
        var random = new Random(11);
        var views = new Dictionary<NodeId, MembershipState>();
        for (var node = 1; node <= 3; node++)
        {
            views[new NodeId((ulong)node)] = MembershipState.Empty.Join(NewMember(node)).SeenBy(new NodeId((ulong)node));
        }
        for (var round = 0; round < 200; round++)
        {
            var ids = views.Keys.ToList();
            var from = ids[random.Next(ids.Count)];
            var to = ids[random.Next(ids.Count)];
            var merged = views[to].Merge(views[from]).SeenBy(to);
            if (merged.Leader?.Node == to)
            {
                merged = merged.LeaderActions().SeenBy(to);
            }
            views[to] = merged;
        }
        var final = views.Values.ToList();
        Assert.All(final, view => Assert.True(view.SameValueAs(final[0]), "views converged"));
        Assert.All(final[0].Members.Values, member => Assert.Equal(MemberStatus.Up, member.Status));
        Assert.Equal(new NodeId(1), final[0].Leader!.Node); // 10.0.0.1 sorts first
    }

    [Fact]
    public void The_leader_waits_for_convergence_an_unreachable_member_blocks_it_until_downed_and_joiners_become_weakly_up_meanwhile()
    {
        var n1 = new NodeId(1);
        var n2 = new NodeId(2);
        var n3 = new NodeId(3);
        var state = MembershipState.Empty.Join(NewMember(1)).Join(NewMember(2)).SeenBy(n1);
        Assert.False(state.IsConverged); // n2 has not seen it
        Assert.Same(state, state.LeaderActions());
        var up = state.SeenBy(n2).LeaderActions();
        Assert.All(up.Members.Values, member => Assert.Equal(MemberStatus.Up, member.Status));

        // n2 becomes unreachable while n3 joins: no convergence, so n3 only becomes WeaklyUp.
        var blocked = up.Observe(n1, n2, reachable: false).Join(NewMember(3)).SeenBy(n1).SeenBy(n3);
        Assert.False(blocked.IsConverged);
        var weakly = blocked.LeaderActions();
        Assert.Equal(MemberStatus.WeaklyUp, weakly.Current(n3)!.Status);
        Assert.Equal(MemberStatus.Up, weakly.Current(n2)!.Status); // nothing else moves

        // Once n2 is downed, the table converges: n2 is removed and n3 comes Up.
        var downed = weakly.Advance(n2, MemberStatus.Down).SeenBy(n1).SeenBy(n3);
        Assert.True(downed.IsConverged);
        var after = downed.LeaderActions();
        Assert.Equal(MemberStatus.Removed, after.Current(n2)!.Status);
        Assert.Equal(MemberStatus.Up, after.Current(n3)!.Status);
    }

    [Fact]
    public void A_new_incarnation_joining_downs_the_old_one_and_a_stale_join_of_the_old_one_is_ignored()
    {
        var n2 = new NodeId(2);
        var state = MembershipState.Empty.Join(NewMember(1)).Join(NewMember(2, incarnation: 5)).Advance(n2, MemberStatus.Up);
        var restarted = state.Join(NewMember(2, incarnation: 9));
        Assert.Equal(MemberStatus.Down, restarted.Members[(n2, 5UL)].Status);
        Assert.Equal(MemberStatus.Joining, restarted.Current(n2)!.Status);
        Assert.Equal(9UL, restarted.Current(n2)!.Incarnation);
        Assert.Same(restarted, restarted.Join(NewMember(2, incarnation: 5)));
        Assert.Same(restarted, restarted.Join(NewMember(2, incarnation: 7))); // older than the newest: stale
    }

    [Fact]
    public void Leaving_members_exit_and_down_members_are_removed_by_the_leader()
    {
        var n1 = new NodeId(1);
        var up = MembershipState.Empty.Join(NewMember(1)).Join(NewMember(2)).Join(NewMember(3))
            .Advance(n1, MemberStatus.Up).Advance(new NodeId(2), MemberStatus.Up).Advance(new NodeId(3), MemberStatus.Up);
        var next = up.Advance(new NodeId(2), MemberStatus.Leaving).Advance(new NodeId(3), MemberStatus.Down)
            .SeenBy(n1).SeenBy(new NodeId(2));
        var acted = next.LeaderActions();
        Assert.Equal(MemberStatus.Exiting, acted.Current(new NodeId(2))!.Status);
        Assert.Equal(MemberStatus.Removed, acted.Current(new NodeId(3))!.Status);
        Assert.Equal(n1, acted.Leader!.Node);
    }

    [Fact]
    public void A_restarted_node_is_a_new_member_and_its_old_incarnation_cannot_come_back()
    {
        var node = new NodeId(4);
        var state = MembershipState.Empty.Join(NewMember(4, incarnation: 1)).Advance(node, MemberStatus.Down);
        var restarted = state.Join(NewMember(4, incarnation: 2));
        Assert.Equal(2UL, restarted.Current(node)!.Incarnation);
        Assert.Equal(MemberStatus.Joining, restarted.Current(node)!.Status);
        var stale = MembershipState.Empty.Join(NewMember(4, incarnation: 1)); // an old view still has it Joining
        Assert.Equal(MemberStatus.Down, restarted.Merge(stale).Members[(node, 1UL)].Status);
    }

    [Fact]
    public void A_newer_reachability_report_wins_and_a_downed_observer_does_not_count()
    {
        var n1 = new NodeId(1);
        var n2 = new NodeId(2);
        var based = MembershipState.Empty.Join(NewMember(1)).Join(NewMember(2)).Join(NewMember(3));
        var suspected = based.Observe(n1, n2, reachable: false);
        var recovered = suspected.Observe(n1, n2, reachable: true);
        Assert.False(suspected.IsReachable(n2));
        Assert.True(suspected.Merge(recovered).IsReachable(n2));
        Assert.True(suspected.Advance(n1, MemberStatus.Down).IsReachable(n2));
    }
}
