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

    [Fact]
    public void In_a_three_two_partition_the_majority_keeps_going_and_the_minority_downs_itself()
    {
        var (environment, network) = StartCluster(5, seed: 4);
        var all = Enumerable.Range(1, 5).ToList();
        Assert.True(environment.RunUntil(() => AllSee(network, all, state => state.Members.Values.Count(m => m.Status == MemberStatus.Up) == 5), TimeSpan.FromSeconds(30)));
        network.Partition([N(1), N(2), N(3)], [N(4), N(5)]);
        Assert.True(environment.RunUntil(
            () => AllSee(network, [1, 2, 3], state => state.Current(N(4))?.Status == MemberStatus.Removed && state.Current(N(5))?.Status == MemberStatus.Removed)
                  && network.StateOf(N(4)).SelfIsDown && network.StateOf(N(5)).SelfIsDown,
            TimeSpan.FromSeconds(60)), "the partition was not resolved");
        Assert.False(network.StateOf(N(1)).SelfIsDown);
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
        network.Nodes[N(2)].Tell(new LeaveCluster());
        Assert.True(environment.RunUntil(() => AllSee(network, [1, 3], state => state.Current(N(2))?.Status == MemberStatus.Removed), TimeSpan.FromSeconds(30)));
        Assert.Contains(events, change => change is MemberRemoved removed && removed.Member.Node == N(2));
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
