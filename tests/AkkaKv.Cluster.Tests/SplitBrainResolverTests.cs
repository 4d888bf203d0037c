namespace AkkaKv.Cluster.Tests;

/// <summary>
/// The split-brain resolver: both sides of a clean partition take complementary decisions (one downs the other, the
/// other downs itself) under keep-majority (including ties), static-quorum and keep-oldest; down-all downs
/// everyone; nothing happens while all are reachable. Method: membership tables of five members partitioned by
/// reachability observations.
/// </summary>
public sealed class SplitBrainResolverTests
{
    private static NodeId N(int i) => new((ulong)i);

    /// <summary>Members 1..<paramref name="size"/> Up; each side sees the other side as unreachable.</summary>
    private static (MembershipState Left, MembershipState Right) Partition(int size, int[] left)
    {
        var state = MembershipState.Empty;
        for (var i = 1; i <= size; i++)
        {
            state = state.Join(new Member(N(i), $"node{i}", (ulong)(100 + i), $"10.0.0.{i}:2551", MemberStatus.Joining, [])).Advance(N(i), MemberStatus.Up);
        }
        var right = Enumerable.Range(1, size).Except(left).ToArray();
        MembershipState ViewOf(int[] side, int[] other)
        {
            var view = state;
            if (side.Length == 0)
            {
                return view;
            }
            foreach (var subject in other)
            {
                view = view.Observe(N(side[0]), N(subject), reachable: false);
            }
            return view;
        }
        return (ViewOf(left, right), ViewOf(right, left));
    }

    [Fact]
    public void Keep_majority_the_larger_side_downs_the_smaller_and_the_smaller_downs_itself()
    {
        var (left, right) = Partition(5, [1, 2, 3]);
        var majority = SplitBrainResolver.Decide(left, N(1), DowningStrategy.KeepMajority);
        var minority = SplitBrainResolver.Decide(right, N(4), DowningStrategy.KeepMajority);
        Assert.Equal([N(4), N(5)], majority.Down);
        Assert.Equal([N(4), N(5)], minority.Down);
        Assert.True(minority.DownsSelf(N(4)));
        Assert.False(majority.DownsSelf(N(1)));
    }

    [Fact]
    public void Keep_majority_on_a_tie_keeps_the_side_with_the_lowest_address()
    {
        var (left, right) = Partition(4, [1, 3]);
        Assert.Equal([N(2), N(4)], SplitBrainResolver.Decide(left, N(1), DowningStrategy.KeepMajority).Down);
        Assert.Equal([N(2), N(4)], SplitBrainResolver.Decide(right, N(2), DowningStrategy.KeepMajority).Down);
    }

    [Fact]
    public void Static_quorum_a_side_below_the_quorum_downs_itself()
    {
        var (left, right) = Partition(5, [1, 2, 3]);
        Assert.Equal([N(4), N(5)], SplitBrainResolver.Decide(left, N(1), DowningStrategy.StaticQuorum, staticQuorum: 3).Down);
        Assert.Equal([N(4), N(5)], SplitBrainResolver.Decide(right, N(4), DowningStrategy.StaticQuorum, staticQuorum: 3).Down);
        Assert.Equal([N(1), N(2), N(3)], SplitBrainResolver.Decide(left, N(1), DowningStrategy.StaticQuorum, staticQuorum: 4).Down);
    }

    [Fact]
    public void Keep_oldest_keeps_the_side_of_the_earliest_incarnation_even_when_it_is_smaller()
    {
        var (left, right) = Partition(5, [1, 2]); // node 1 is the oldest (incarnation 101)
        Assert.Equal([N(3), N(4), N(5)], SplitBrainResolver.Decide(left, N(1), DowningStrategy.KeepOldest).Down);
        Assert.Equal([N(3), N(4), N(5)], SplitBrainResolver.Decide(right, N(3), DowningStrategy.KeepOldest).Down);
    }

    [Fact]
    public void Down_all_downs_everyone_and_nothing_happens_while_all_are_reachable()
    {
        var (left, _) = Partition(3, [1, 2]);
        Assert.Equal([N(1), N(2), N(3)], SplitBrainResolver.Decide(left, N(1), DowningStrategy.DownAll).Down);
        var (whole, _) = Partition(3, [1, 2, 3]);
        Assert.Same(DowningDecision.None, SplitBrainResolver.Decide(whole, N(1), DowningStrategy.KeepMajority));
    }
}
