using AkkaKv.Actors;
using AkkaKv.Actors.Deterministic;

namespace AkkaKv.Cluster.Tests;

/// <summary>
/// Cluster actors of 3 and 5 nodes in the deterministic mode (virtual time, a seeded single thread, an in-memory
/// network that can cut links): joining through seeds brings everyone Up under one leader; a crashed node is
/// detected, downed by the split-brain resolver and removed, in a measured virtual time; in a 3|2 partition the
/// majority keeps going and the minority downs itself; a graceful leave ends in removal; subscribers hear MemberUp.
/// </summary>
public sealed class ClusterActorTests(ITestOutputHelper output)
{
    private sealed class Network(DeterministicEnvironment environment) : IClusterTransport
    {
        public Dictionary<NodeId, IActorRef> Nodes { get; } = [];
        public HashSet<NodeId> Crashed { get; } = [];
        public HashSet<(NodeId, NodeId)> Cut { get; } = [];

        public void Send(string address, ClusterMessage message)
        {
            var to = NodeAt(address);
            if (Crashed.Contains(to) || Crashed.Contains(message.From) || Cut.Contains((message.From, to)) || !Nodes.TryGetValue(to, out var target))
            {
                return;
            }
            target.Tell(message);
        }

        public void Partition(IEnumerable<NodeId> left, IEnumerable<NodeId> right)
        {
            foreach (var a in left)
            {
                foreach (var b in right)
                {
                    Cut.Add((a, b));
                    Cut.Add((b, a));
                }
            }
        }

        public ClusterStateReply StateOf(NodeId node)
        {
            var reply = Nodes[node].Ask<ClusterStateReply>(new GetClusterState(), TimeSpan.FromSeconds(5));
            environment.RunUntilIdle();
            return reply.GetAwaiter().GetResult();
        }
    }

    private static NodeId N(int i) => new((ulong)i);

    private static string AddressOf(int i) => $"10.0.0.{i}:2551";

    private static NodeId NodeAt(string address) => N(int.Parse(address.Split('.', ':')[3], System.Globalization.CultureInfo.InvariantCulture));

    private static Member NewMember(int i, ulong incarnation) => new(N(i), $"node{i}", incarnation, AddressOf(i), MemberStatus.Joining, []);

    private static (DeterministicEnvironment Environment, Network Network) StartCluster(int size, int seed)
    {
        var environment = new DeterministicEnvironment(seed);
        var network = new Network(environment);
        var options = new ClusterOptions { Seeds = [AddressOf(1), AddressOf(2)] };
        for (var i = 1; i <= size; i++)
        {
            var system = environment.CreateSystem($"node{i}");
            network.Nodes[N(i)] = system.ActorOf(ClusterActor.Props(NewMember(i, (ulong)(1000 + i)), options, network), "cluster");
        }
        return (environment, network);
    }

    private static bool AllSee(Network network, IEnumerable<int> observers, Func<MembershipState, bool> condition) =>
        observers.All(i => condition(network.StateOf(N(i)).State));

    [Theory]
    [InlineData(3, 1)]
    [InlineData(5, 2)]
    public void Nodes_joining_through_the_seeds_all_come_up_under_one_leader(int size, int seed)
    {
        var (environment, network) = StartCluster(size, seed);
        var all = Enumerable.Range(1, size).ToList();
        Assert.True(environment.RunUntil(
            () => AllSee(network, all, state => state.Members.Count == size && state.Members.Values.All(member => member.Status == MemberStatus.Up)),
            TimeSpan.FromSeconds(30)), $"seed {seed}: the cluster did not form");
        Assert.All(all, i => Assert.Equal(N(1), network.StateOf(N(i)).Leader));
    }

    [Fact]
    public void A_crashed_node_is_downed_and_removed_within_a_bounded_virtual_time()
    {
        var (environment, network) = StartCluster(3, seed: 3);
        var all = new[] { 1, 2, 3 };
        Assert.True(environment.RunUntil(() => AllSee(network, all, state => state.Members.Values.Count(m => m.Status == MemberStatus.Up) == 3), TimeSpan.FromSeconds(30)));
        var crashedAt = environment.Time.GetUtcNow();
        network.Crashed.Add(N(3));
        Assert.True(environment.RunUntil(
            () => AllSee(network, [1, 2], state => state.Current(N(3))?.Status == MemberStatus.Removed),
            TimeSpan.FromSeconds(60)), "the crashed node was not removed");
        var elapsed = environment.Time.GetUtcNow() - crashedAt;
        output.WriteLine($"crashed node removed after {elapsed.TotalSeconds:F1} s of virtual time");
        // Detection (~4.6 s with Akka's detector defaults) + stable-after (7 s) + gossip rounds: well under Akka's ~45 s.
        Assert.InRange(elapsed, TimeSpan.FromSeconds(8), TimeSpan.FromSeconds(20));
    }

    [Theory]
    [InlineData(new[] { 1, 2, 3 }, new[] { 4, 5 }, 4)]
    [InlineData(new[] { 1, 2 }, new[] { 3 }, 6)]
    [InlineData(new[] { 3, 4, 5 }, new[] { 1, 2 }, 10)] // both seeds downed: they rejoin through the members they knew
    public void In_a_partition_the_majority_downs_the_minority_which_rejoins_as_new_incarnations_when_it_heals(int[] majority, int[] minority, int seed)
    {
        var size = majority.Length + minority.Length;
        var (environment, network) = StartCluster(size, seed);
        var all = Enumerable.Range(1, size).ToList();
        Assert.True(environment.RunUntil(() => AllSee(network, all, state => state.Members.Values.Count(m => m.Status == MemberStatus.Up) == size), TimeSpan.FromSeconds(30)));
        network.Partition(majority.Select(N), minority.Select(N));

        // The majority removes the minority's members; the minority downs itself (and then waits to rejoin).
        Assert.True(environment.RunUntil(
            () => AllSee(network, majority, state => minority.All(i => state.Members[(N(i), (ulong)(1000 + i))].Status == MemberStatus.Removed))
                  && minority.All(i => network.StateOf(N(i)) is { } view && (view.SelfIsDown || view.Self.Incarnation != (ulong)(1000 + i))),
            TimeSpan.FromSeconds(60)), "the partition was not resolved");
        Assert.All(majority, i => Assert.Equal((ulong)(1000 + i), network.StateOf(N(i)).Self.Incarnation));
        Assert.All(majority, i => Assert.False(network.StateOf(N(i)).SelfIsDown));
        Assert.All(minority, i => Assert.False(network.StateOf(N(i)).Joined && !network.StateOf(N(i)).SelfIsDown && network.StateOf(N(i)).Self.Incarnation == (ulong)(1000 + i)));

        // Healed: the minority's nodes come back as new incarnations and everyone is Up in one cluster.
        network.Cut.Clear();
        Assert.True(environment.RunUntil(
            () => AllSee(network, all, state => all.All(i => state.Current(N(i)) is { Status: MemberStatus.Up } member && (majority.Contains(i) || member.Incarnation != (ulong)(1000 + i)))),
            TimeSpan.FromSeconds(60)), "the minority did not rejoin");
    }

    [Fact]
    public void A_seed_other_than_the_first_never_forms_a_cluster_alone_and_the_first_seed_forms_one_after_the_seed_node_timeout()
    {
        var environment = new DeterministicEnvironment(7);
        var network = new Network(environment);
        var options = new ClusterOptions { Seeds = [AddressOf(1), AddressOf(2)], SeedNodeTimeout = TimeSpan.FromSeconds(5) };
        network.Nodes[N(2)] = environment.CreateSystem("node2").ActorOf(ClusterActor.Props(NewMember(2, 1002), options, network), "cluster");
        Assert.False(environment.RunUntil(() => network.StateOf(N(2)).Joined, TimeSpan.FromSeconds(30)), "the second seed formed a cluster alone");

        var startedAt = environment.Time.GetUtcNow();
        network.Crashed.Add(N(2)); // the other seed does not answer at all
        network.Nodes[N(1)] = environment.CreateSystem("node1").ActorOf(ClusterActor.Props(NewMember(1, 1001), options, network), "cluster");
        Assert.True(environment.RunUntil(() => network.StateOf(N(1)).Joined, TimeSpan.FromSeconds(30)));
        Assert.InRange(environment.Time.GetUtcNow() - startedAt, TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(7));

        network.Crashed.Remove(N(2)); // the second seed now joins the first seed's cluster
        Assert.True(environment.RunUntil(() => AllSee(network, [1, 2], state => state.Members.Values.Count(m => m.Status == MemberStatus.Up) == 2), TimeSpan.FromSeconds(30)));
    }

    [Fact]
    public void The_member_directory_follows_the_membership()
    {
        var environment = new DeterministicEnvironment(11);
        var network = new Network(environment);
        var options = new ClusterOptions { Seeds = [AddressOf(1), AddressOf(2)] };
        var directory = new MemberDirectory();
        for (var i = 1; i <= 3; i++)
        {
            network.Nodes[N(i)] = environment.CreateSystem($"node{i}").ActorOf(ClusterActor.Props(NewMember(i, (ulong)(1000 + i)), options, network, i == 1 ? directory : null), "cluster");
        }
        Assert.True(environment.RunUntil(() => directory.Members.Count == 3 && directory.Members.Values.All(member => member.Status == MemberStatus.Up), TimeSpan.FromSeconds(30)));
        Assert.Equal(AddressOf(3), directory.AddressOf(N(3)));
        Assert.Equal(N(2), directory.Named("node2")!.Node);
        network.Crashed.Add(N(3));
        Assert.True(environment.RunUntil(() => directory.AddressOf(N(3)) is null, TimeSpan.FromSeconds(60)), "the crashed node stayed in the directory");
        Assert.Null(directory.Named("node3"));
    }

    [Fact]
    public void A_restarted_node_joins_as_a_new_incarnation_that_replaces_the_old_one()
    {
        var (environment, network) = StartCluster(3, seed: 8);
        Assert.True(environment.RunUntil(() => AllSee(network, [1, 2, 3], state => state.Members.Values.Count(m => m.Status == MemberStatus.Up) == 3), TimeSpan.FromSeconds(30)));
        var options = new ClusterOptions { Seeds = [AddressOf(1), AddressOf(2)] };
        network.Nodes[N(3)] = environment.CreateSystem("node3-restarted").ActorOf(ClusterActor.Props(NewMember(3, 2003), options, network), "cluster");
        Assert.True(environment.RunUntil(
            () => AllSee(network, [1, 2, 3], state => state.Current(N(3)) is { Incarnation: 2003, Status: MemberStatus.Up } && state.Members[(N(3), 1003UL)].Status == MemberStatus.Removed),
            TimeSpan.FromSeconds(30)), "the new incarnation did not replace the old one");
    }

    [Fact]
    public void A_live_member_downed_by_an_operator_learns_it_and_rejoins_as_a_new_incarnation()
    {
        var (environment, network) = StartCluster(3, seed: 9);
        Assert.True(environment.RunUntil(() => AllSee(network, [1, 2, 3], state => state.Members.Values.Count(m => m.Status == MemberStatus.Up) == 3), TimeSpan.FromSeconds(30)));
        network.Nodes[N(1)].Tell(new DownMember(N(3)));
        Assert.True(environment.RunUntil(
            () => AllSee(network, [1, 2, 3], state => state.Current(N(3)) is { Status: MemberStatus.Up } member && member.Incarnation != 1003 && state.Members[(N(3), 1003UL)].Status == MemberStatus.Removed),
            TimeSpan.FromSeconds(60)), "the downed member did not come back as a new incarnation");
    }

    [Fact]
    public void A_member_that_leaves_is_removed_and_subscribers_hear_of_members_coming_up()
    {
        var (environment, network) = StartCluster(3, seed: 5);
        var events = new List<MembershipEvent>();
        var listener = environment.CreateSystem("listener").ActorOf(Props.Create(() => new Collector(events)), "events");
        network.Nodes[N(1)].Tell(new SubscribeMembership(listener));
        Assert.True(environment.RunUntil(() => AllSee(network, [1, 2, 3], state => state.Members.Values.Count(m => m.Status == MemberStatus.Up) == 3), TimeSpan.FromSeconds(30)));
        Assert.Equal(3, events.OfType<MemberUp>().Select(up => up.Member.Node).Distinct().Count());
        var leftAt = environment.Time.GetUtcNow();
        network.Nodes[N(2)].Tell(new LeaveCluster(N(2)));
        Assert.True(environment.RunUntil(() => AllSee(network, [1, 3], state => state.Current(N(2))?.Status == MemberStatus.Removed), TimeSpan.FromSeconds(30)));
        Assert.Contains(events, change => change is MemberRemoved removed && removed.Member.Node == N(2));
        var elapsed = environment.Time.GetUtcNow() - leftAt;
        output.WriteLine($"left member removed after {elapsed.TotalSeconds:F1} s of virtual time");
        // Leaving → Exiting → Removed by the leader on convergence: gossip rounds, not failure detection and stable-after.
        Assert.True(elapsed < TimeSpan.FromSeconds(5), $"removal took {elapsed.TotalSeconds:F1} s");
    }

    [Fact]
    public void A_member_whose_leave_was_asked_at_another_node_leaves_for_good_and_does_not_rejoin()
    {
        var (environment, network) = StartCluster(3, seed: 12);
        var events = new List<MembershipEvent>();
        network.Nodes[N(3)].Tell(new SubscribeMembership(environment.CreateSystem("listener").ActorOf(Props.Create(() => new Collector(events)), "events")));
        Assert.True(environment.RunUntil(() => AllSee(network, [1, 2, 3], state => state.Members.Values.Count(m => m.Status == MemberStatus.Up) == 3), TimeSpan.FromSeconds(30)));
        network.Nodes[N(1)].Tell(new LeaveCluster(N(3))); // asked at the leader, not at the leaving member
        Assert.True(environment.RunUntil(() => AllSee(network, [1, 2], state => state.Current(N(3))?.Status == MemberStatus.Removed), TimeSpan.FromSeconds(30)));
        environment.Advance(TimeSpan.FromSeconds(30)); // well past the rejoin delay of a downed member
        environment.RunUntilIdle();
        Assert.True(network.StateOf(N(3)).SelfIsDown);
        Assert.Equal(1003UL, network.StateOf(N(3)).Self.Incarnation);
        Assert.Contains(events, change => change is SelfLeft);
        Assert.All([1, 2], i => Assert.Equal(MemberStatus.Removed, network.StateOf(N(i)).State.Current(N(3))!.Status));
    }

    private sealed class Collector(List<MembershipEvent> events) : Actor
    {
        protected override void Receive(object message)
        {
            if (message is MembershipEvent change)
            {
                events.Add(change);
            }
        }
    }
}
