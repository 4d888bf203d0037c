using System.Text;
using Akka.Actor;
using Akka.Configuration;
using AkkaKv.Persistence.Membership;
using AkkaKv.Persistence.Snapshots;
using AkkaKv.Persistence.Storage;
using AkkaKv.Persistence.Wal;
using AkkaKv.Raft;
using AkkaKv.Sharding.Hosting;
using AkkaKv.Sharding.Placement;
using AkkaKv.Sharding.Remoting;
using AkkaKv.Store;
using AkkaKv.TestKit;
using Microsoft.Extensions.Logging.Abstractions;
using AkkaCluster = Akka.Cluster.Cluster;

namespace AkkaKv.Sharding.Tests.Remoting;

/// <summary>
/// Membership by Akka.Cluster driving the sharding layer (<see cref="ClusterMembershipBridge"/>): three nodes form
/// one cluster through a seed; the first founds the cluster (bootstraps the placement group, alone) and the others
/// do not; every node learns its peers' addresses from membership alone — no address is configured — and the shard
/// groups replicate through them; placement sees three active nodes; when a node leaves, placement stops seeing it
/// and the groups still commit with the two left.
/// </summary>
public sealed class AkkaClusterMembershipTests(ITestOutputHelper output) : Akka.TestKit.Xunit2.TestKit(ConfigurationFactory.ParseString("akka.loglevel = WARNING"), "test", output)
{
    private const int Shards = 2;
    private static readonly ShardId PlacementShard = new(99);
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);
    private readonly List<Node> _nodes = [];
    private readonly string _root = Directory.CreateTempSubdirectory("akkakv-akka-cluster-").FullName;

    private sealed record Node(NodeId Id, ActorSystem System, IActorRef Manager, Akka.TestKit.TestProbe Placement);

    private Node StartNode(int index, int port, int seedPort)
    {
        var name = $"node-{index}";
        var id = NodeId.FromName(name);
        var config = ConfigurationFactory.ParseString($$"""
            akka.loglevel = WARNING
            akka.actor.provider = cluster
            akka.remote.dot-netty.tcp { hostname = 127.0.0.1, port = {{port}} }
            akka.cluster {
              seed-nodes = ["akka.tcp://akkakv@127.0.0.1:{{seedPort}}"]
              roles = ["akkakv", "{{ClusterMembershipBridge.NodeRolePrefix}}{{name}}"]
              split-brain-resolver.stable-after = 2s
            }
            """).WithFallback(ConfigurationFactory.ParseString(ShardingSerialization.Hocon));
        var system = ActorSystem.Create("akkakv", config);
        var transport = new AkkaRaftTransport(system, id);
        var options = new RaftGroupOptions { TickInterval = TimeSpan.FromMilliseconds(20), Raft = new RaftOptions { ElectionTicks = 10, HeartbeatTicks = 2 } };
        var manager = system.ActorOf(ReplicaManagerHost.Props(id, NodeWal.Open(new MemoryWalStorage()), new FileSnapshotStore(Path.Combine(_root, name)), transport,
            options, new InMemoryClusterMembershipRecord(), NullLoggerFactory.Instance, TimeProvider.System), ReplicaManagerHost.Name);
        transport.SetLocal(manager);
        var placement = CreateTestProbe();
        system.ActorOf(ClusterMembershipBridge.Props(id, transport, new PeerDirectory(), manager, placement, new BootstrapCluster([], PlacementShard), NullLoggerFactory.Instance), "membership");
        var node = new Node(id, system, manager, placement);
        _nodes.Add(node);
        return node;
    }

    protected override void AfterAll()
    {
        Task.WaitAll([.. _nodes.Select(node => node.System.Terminate())], Deadline);
        Directory.Delete(_root, recursive: true);
        base.AfterAll();
    }

    private static IActorRef ReplicaOf(Node node, ShardId shard) =>
        node.System.ActorSelection($"{ReplicaManagerHost.Path}/{ReplicaManagerHost.ReplicaName(shard)}").ResolveOne(Deadline).GetAwaiter().GetResult();

    private async Task WriteThroughLeader(ShardId shard, IReadOnlyCollection<Node> nodes, string key)
    {
        await AwaitAssertAsync(async () =>
        {
            Node? leader = null;
            foreach (var node in nodes)
            {
                if ((await ReplicaOf(node, shard).Ask<ShardStatus>(GetShardStatus.Instance, TimeSpan.FromSeconds(3))).Role == RaftRole.Leader)
                {
                    leader = node;
                }
            }
            Assert.NotNull(leader);
            var reply = await ReplicaOf(leader, shard).Ask<ShardReply>(new WriteRequest(new KvPut(key, Encoding.UTF8.GetBytes(key), KvCondition.None)), TimeSpan.FromSeconds(5));
            Assert.IsType<KvResult.Written>(Assert.IsType<WriteReply>(reply).Result);
        }, Deadline, TimeSpan.FromMilliseconds(200));
    }

    private static void ExpectPlacementOf(Node node, List<NodeId> active) =>
        node.Placement.FishForMessage<NodesObserved>(observed =>
            observed.Nodes.Count == active.Count && observed.Nodes.All(seen => seen.State == PlacementNodeState.Active && active.Contains(seen.Node)), Deadline);

    [Fact]
    public async Task Three_nodes_form_one_cluster_learn_their_peers_from_membership_and_replicate_through_them()
    {
        var ports = FreeTcpPort.Take(3);
        var founder = StartNode(1, ports[0], ports[0]);
        AwaitCondition(() => AkkaCluster.Get(founder.System).SelfMember.Status == Akka.Cluster.MemberStatus.Up, Deadline);
        StartNode(2, ports[1], ports[0]);
        StartNode(3, ports[2], ports[0]);
        var ids = _nodes.Select(node => node.Id).ToList();
        foreach (var node in _nodes)
        {
            ExpectPlacementOf(node, ids);
        }

        // Only the founder bootstrapped the placement group.
        foreach (var node in _nodes)
        {
            var local = await node.Manager.Ask<LocalReplicas>(GetLocalReplicas.Instance, Deadline);
            Assert.Equal(node == founder, local.Shards.Contains(PlacementShard));
        }

        var conf = new ConfState(ids);
        foreach (var node in _nodes)
        {
            for (var shard = 0u; shard < Shards; shard++)
            {
                node.Manager.Tell(new BootstrapReplica(new ShardId(shard), conf));
            }
        }
        for (var shard = 0u; shard < Shards; shard++)
        {
            await WriteThroughLeader(new ShardId(shard), _nodes, $"k{shard}");
        }

        // A node leaves (its actor system terminates: Akka's coordinated shutdown leaves the cluster first).
        var leaving = _nodes[2];
        await leaving.System.Terminate().WaitAsync(Deadline);
        var staying = _nodes.Take(2).ToList();
        foreach (var node in staying)
        {
            ExpectPlacementOf(node, [.. staying.Select(stay => stay.Id)]);
        }
        for (var shard = 0u; shard < Shards; shard++)
        {
            await WriteThroughLeader(new ShardId(shard), staying, $"after{shard}");
        }
    }
}
