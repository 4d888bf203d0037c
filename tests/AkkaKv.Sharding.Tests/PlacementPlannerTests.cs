using AkkaKv.Sharding.Placement;

namespace AkkaKv.Sharding.Tests;

/// <summary>
/// The placement planner, planned and applied round after round until it has nothing left to do (learners catching up
/// at random; a shard whose leader's node is gone elects a leader among its healthy voters): a single node's 64 shards
/// spread as nodes join until every shard has 3 voters and replica and leader counts are within ±1; a leaving node's
/// replicas and leaders move off first; a gone node's replicas are replaced; fewer nodes than replicas shrink the
/// groups. Every round keeps the invariants: at most max-concurrent-moves shards changing membership, no shard without
/// a voter, a voter removed only when the shard has more than it needs. Seeded random join/leave/gone sequences too.
/// </summary>
public sealed class PlacementPlannerTests(ITestOutputHelper output)
{
    private static NodeId N(int i) => new((ulong)i);

    private sealed class Cluster(int seed, PlacementOptions options)
    {
        private readonly Random _random = new(seed);

        public ShardMap Map { get; private set; } = ShardMap.Bootstrap(64, N(1));

        public Dictionary<NodeId, PlacementNodeState> Nodes { get; } = new() { [N(1)] = PlacementNodeState.Active };

        public int Rounds { get; private set; }

        private List<PlacementNode> NodeList => [.. Nodes.Select(pair => new PlacementNode(pair.Key, pair.Value))];

        private int Wanted => Math.Min(options.Replicas, Nodes.Count(pair => pair.Value == PlacementNodeState.Active));

        /// <summary>Plans and applies until nothing is left to do; checks the invariants of every step and round.</summary>
        public void Converge()
        {
            var idleRounds = 0;
            for (var round = 0; round < 5_000; round++)
            {
                ElectLeadersWhereTheLeaderIsGone();
                var steps = PlacementPlanner.Plan(Map, NodeList, options, (_, _) => _random.Next(3) > 0);
                Assert.Equal(steps.Count, steps.Select(step => step.Shard).Distinct().Count()); // one step per shard
                foreach (var step in steps)
                {
                    var before = Map.Shards[step.Shard];
                    if (step is RemoveReplica remove && before.Voters.Contains(remove.Node))
                    {
                        Assert.True(before.Voters.Count > Wanted, $"{step} removed a voter from a shard that needed it");
                    }
                    Map = Map.Apply(step);
                    Assert.NotEmpty(Map.Shards[step.Shard].Voters);
                }
                Assert.True(Map.Shards.Values.Count(shard => shard.Learners.Count > 0) <= options.MaxConcurrentMoves, "too many shards changing at once");
                Rounds++;
                // Learners that have not caught up yet leave a round empty; give them a few rounds before calling it done.
                idleRounds = steps.Count == 0 ? idleRounds + 1 : 0;
                if (idleRounds >= 20 && Map.Shards.Values.All(shard => shard.Learners.Count == 0))
                {
                    return;
                }
            }
            var last = PlacementPlanner.Plan(Map, NodeList, options, (_, _) => true);
            Assert.Fail($"placement did not converge in 5,000 rounds (replicas {options.Replicas}, moves {options.MaxConcurrentMoves}, nodes {string.Join(",", Nodes.Select(pair => $"{pair.Key}:{pair.Value}"))}); still planning: " +
                string.Join("; ", last.Take(6).Select(step => $"{step} ({step.Reason})")));
        }

        private void ElectLeadersWhereTheLeaderIsGone()
        {
            foreach (var shard in Map.Shards.Values.Where(shard => Nodes.GetValueOrDefault(shard.Leader, PlacementNodeState.Gone) == PlacementNodeState.Gone))
            {
                var healthy = shard.Voters.FirstOrDefault(voter => Nodes.GetValueOrDefault(voter) == PlacementNodeState.Active);
                if (!healthy.IsNone)
                {
                    Map = Map with { Shards = Map.Shards.SetItem(shard.Shard, shard with { Leader = healthy }) };
                }
            }
        }

        public void AssertBalanced()
        {
            var active = Nodes.Where(pair => pair.Value == PlacementNodeState.Active).Select(pair => pair.Key).ToList();
            Assert.All(Map.Shards.Values, shard =>
            {
                Assert.Equal(Wanted, shard.Voters.Count);
                Assert.Empty(shard.Learners);
                Assert.All(shard.Voters, voter => Assert.Contains(voter, active));
                Assert.Contains(shard.Leader, shard.Voters);
            });
            var replicas = Map.ReplicaCounts(active);
            var leaders = Map.LeaderCounts(active);
            Assert.True(replicas.Values.Max() - replicas.Values.Min() <= 1, $"replicas per node: {string.Join(", ", replicas.Select(pair => $"{pair.Key}={pair.Value}"))}");
            Assert.True(leaders.Values.Max() - leaders.Values.Min() <= 1, $"leaders per node: {string.Join(", ", leaders.Select(pair => $"{pair.Key}={pair.Value}"))}");
        }
    }

    [Fact]
    public void A_single_nodes_shards_spread_over_joining_nodes_until_replicas_and_leaders_are_balanced()
    {
        var cluster = new Cluster(1, new PlacementOptions());
        cluster.Converge();
        cluster.AssertBalanced();
        for (var node = 2; node <= 5; node++)
        {
            cluster.Nodes[N(node)] = PlacementNodeState.Active;
            cluster.Converge();
            cluster.AssertBalanced();
            output.WriteLine($"{node} nodes: balanced after {cluster.Rounds} rounds in all, configuration {cluster.Map.Number}");
        }
        Assert.All(cluster.Map.ReplicaCounts([N(1), N(2), N(3), N(4), N(5)]).Values, count => Assert.InRange(count, 38, 39)); // 192 replicas on 5 nodes
    }

    [Fact]
    public void A_leaving_node_hands_off_its_leaders_and_replicas_and_a_gone_node_is_replaced()
    {
        var cluster = new Cluster(2, new PlacementOptions());
        for (var node = 2; node <= 5; node++)
        {
            cluster.Nodes[N(node)] = PlacementNodeState.Active;
        }
        cluster.Converge();
        cluster.AssertBalanced();

        cluster.Nodes[N(3)] = PlacementNodeState.Leaving;
        cluster.Converge();
        cluster.AssertBalanced();
        Assert.DoesNotContain(cluster.Map.Shards.Values, shard => shard.IsOn(N(3)) || shard.Leader == N(3));

        cluster.Nodes.Remove(N(3));
        cluster.Nodes[N(5)] = PlacementNodeState.Gone;
        cluster.Converge();
        cluster.AssertBalanced();
        Assert.DoesNotContain(cluster.Map.Shards.Values, shard => shard.IsOn(N(5)));
    }

    [Fact]
    public void With_fewer_active_nodes_than_replicas_each_shard_has_one_voter_per_active_node()
    {
        var cluster = new Cluster(3, new PlacementOptions());
        cluster.Nodes[N(2)] = PlacementNodeState.Active;
        cluster.Nodes[N(3)] = PlacementNodeState.Active;
        cluster.Converge();
        cluster.AssertBalanced();
        cluster.Nodes[N(2)] = PlacementNodeState.Gone;
        cluster.Converge();
        cluster.AssertBalanced();
        Assert.All(cluster.Map.Shards.Values, shard => Assert.Equal([N(1), N(3)], shard.Voters));
    }

    [Fact]
    public void An_unreachable_node_keeps_its_replicas_receives_nothing_new_and_is_used_again_when_it_returns()
    {
        var cluster = new Cluster(4, new PlacementOptions());
        for (var node = 2; node <= 4; node++)
        {
            cluster.Nodes[N(node)] = PlacementNodeState.Active;
        }
        cluster.Converge();
        cluster.AssertBalanced();
        var before = cluster.Map.ReplicaCounts([N(4)])[N(4)];
        cluster.Nodes[N(4)] = PlacementNodeState.Unreachable;
        cluster.Nodes[N(5)] = PlacementNodeState.Active; // a new node joins meanwhile: no balancing while one is not answering
        cluster.Converge();
        Assert.Equal(before, cluster.Map.ReplicaCounts([N(4)])[N(4)]);
        Assert.All(cluster.Map.Shards.Values, shard => Assert.Equal(3, shard.Voters.Count));
        Assert.DoesNotContain(cluster.Map.Shards.Values, shard => shard.IsOn(N(5)));
        cluster.Nodes[N(4)] = PlacementNodeState.Active;
        cluster.Converge();
        cluster.AssertBalanced();
        Assert.Contains(cluster.Map.Shards.Values, shard => shard.IsOn(N(5)));
    }

    public static TheoryData<int> Seeds() => [.. Enumerable.Range(1, 20)];

    [Theory]
    [MemberData(nameof(Seeds))]
    public void Random_joins_leaves_and_failures_always_end_balanced(int seed)
    {
        var random = new Random(seed);
        var cluster = new Cluster(seed, new PlacementOptions { Replicas = 1 + random.Next(5), MaxConcurrentMoves = 1 + random.Next(8) });
        var next = 2;
        for (var change = 0; change < 8; change++)
        {
            var active = cluster.Nodes.Where(pair => pair.Value == PlacementNodeState.Active).Select(pair => pair.Key).ToList();
            switch (random.Next(3))
            {
                case 0 or 1 when active.Count < 7:
                    cluster.Nodes[N(next++)] = PlacementNodeState.Active;
                    break;
                case 2 when active.Count > 1:
                    var victim = active[random.Next(active.Count)];
                    cluster.Nodes[victim] = random.Next(2) == 0 ? PlacementNodeState.Leaving : PlacementNodeState.Gone;
                    break;
                default:
                    cluster.Nodes[N(next++)] = PlacementNodeState.Active;
                    break;
            }
            cluster.Converge();
            cluster.AssertBalanced();
            foreach (var departed in cluster.Nodes.Where(pair => pair.Value != PlacementNodeState.Active).Select(pair => pair.Key).ToList())
            {
                Assert.DoesNotContain(cluster.Map.Shards.Values, shard => shard.IsOn(departed));
                cluster.Nodes.Remove(departed);
            }
        }
    }

    [Fact]
    public void Applying_a_step_that_does_not_fit_is_refused()
    {
        var map = ShardMap.Bootstrap(2, N(1));
        var shard = new ShardId(0);
        Assert.Throws<InvalidOperationException>(() => map.Apply(new RemoveReplica(shard, N(1)) { Reason = "last voter and leader" }));
        Assert.Throws<InvalidOperationException>(() => map.Apply(new PromoteLearner(shard, N(2)) { Reason = "not a learner" }));
        Assert.Throws<InvalidOperationException>(() => map.Apply(new TransferLeader(shard, N(2)) { Reason = "not a voter" }));
        var added = map.Apply(new AddLearner(shard, N(2)) { Reason = "test" });
        Assert.Equal(2, added.Number);
        Assert.Equal(1, added.Shards[shard].Epoch);
        Assert.Throws<InvalidOperationException>(() => added.Apply(new AddLearner(shard, N(2)) { Reason = "already there" }));
        var transferred = added.Apply(new PromoteLearner(shard, N(2)) { Reason = "test" }).Apply(new TransferLeader(shard, N(2)) { Reason = "test" });
        Assert.Equal(2, transferred.Shards[shard].Epoch); // a leader transfer changes no membership
        Assert.Equal(N(2), transferred.Shards[shard].Leader);
    }
}
