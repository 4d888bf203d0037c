using System.Text;
using Akka.Actor;
using Akka.Configuration;
using AkkaKv.Persistence.Membership;
using AkkaKv.Persistence.Snapshots;
using AkkaKv.Persistence.Storage;
using AkkaKv.Persistence.Wal;
using AkkaKv.Raft;
using AkkaKv.Sharding.Hosting;
using AkkaKv.Store;
using Microsoft.Extensions.Logging.Abstractions;

namespace AkkaKv.Sharding.Tests.Remoting;

/// <summary>
/// Shard replicas as Akka.NET actors replicating over Akka.Remote: three actor systems on loopback, each a node with
/// its <see cref="ReplicaManagerHost"/> over its own WAL and an <see cref="AkkaRaftTransport"/>; several shards'
/// groups elect leaders, a write to each leader commits and every follower applies it, and Raft traffic to a peer
/// travels in batches. Then a node stops and the other two still commit writes. And when the node that leads a group
/// stops, the other two elect a new leader over the network, which commits a write and serves it to a linearizable
/// read.
/// </summary>
public sealed class AkkaRaftGroupTests : Akka.TestKit.Xunit2.TestKit
{
    private const int Shards = 4;
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);
    private static readonly Config NodeConfig = LoopbackRemoting.Config("akka.remote.dot-netty.tcp.maximum-frame-size = 16MiB");

    private readonly List<Node> _nodes = [];
    private readonly string _root = Directory.CreateTempSubdirectory("akkakv-akka-group-").FullName;

    public AkkaRaftGroupTests(ITestOutputHelper output) : base(NodeConfig, "akkakv", output)
    {
    }

    private sealed record Node(NodeId Id, ActorSystem System, AkkaRaftTransport Transport, IActorRef Manager);

    private Node StartNode(NodeId id)
    {
        var system = ActorSystem.Create("akkakv", NodeConfig);
        var transport = new AkkaRaftTransport(system, id);
        var options = new RaftGroupOptions { TickInterval = TimeSpan.FromMilliseconds(20), Raft = new RaftOptions { ElectionTicks = 10, HeartbeatTicks = 2 } };
        var manager = system.ActorOf(ReplicaManagerHost.Props(id, NodeWal.Open(new MemoryWalStorage()), new FileSnapshotStore(Path.Combine(_root, $"n{id.Value}")), transport,
            options, new InMemoryClusterMembershipRecord(), NullLoggerFactory.Instance, TimeProvider.System), ReplicaManagerHost.Name);
        transport.SetLocal(manager);
        return new Node(id, system, transport, manager);
    }

    protected override void AfterAll()
    {
        foreach (var node in _nodes)
        {
            node.System.Terminate().Wait(TimeSpan.FromSeconds(20));
        }
        Directory.Delete(_root, recursive: true);
        base.AfterAll();
    }

    private static Address AddressOf(ActorSystem system) => ((ExtendedActorSystem)system).Provider.DefaultAddress;

    private static IActorRef ReplicaOf(Node node, ShardId shard) =>
        node.System.ActorSelection($"{ReplicaManagerHost.Path}/{ReplicaManagerHost.ReplicaName(shard)}").ResolveOne(Deadline).GetAwaiter().GetResult();

    private async Task<Node> LeaderOf(ShardId shard, IReadOnlyCollection<Node> candidates)
    {
        Node? leader = null;
        await AwaitAssertAsync(async () =>
        {
            leader = null;
            foreach (var node in candidates)
            {
                var status = await ReplicaOf(node, shard).Ask<ShardStatus>(GetShardStatus.Instance, TimeSpan.FromSeconds(3));
                if (status.Role == RaftRole.Leader)
                {
                    leader = node;
                }
            }
            Assert.NotNull(leader);
        }, Deadline, TimeSpan.FromMilliseconds(100));
        return leader!;
    }

    [Fact]
    public async Task Shard_groups_on_three_actor_systems_replicate_over_akka_remote_and_survive_a_stopped_node()
    {
        var conf = new ConfState([new NodeId(1), new NodeId(2), new NodeId(3)]);
        _nodes.AddRange(conf.Voters.Order().Select(StartNode));
        foreach (var node in _nodes)
        {
            foreach (var peer in _nodes)
            {
                node.Transport.SetPeerAddress(peer.Id, AddressOf(peer.System));
            }
            for (var shard = 0u; shard < Shards; shard++)
            {
                node.Manager.Tell(new BootstrapReplica(new ShardId(shard), conf));
            }
        }

        for (var shard = 0u; shard < Shards; shard++)
        {
            var id = new ShardId(shard);
            var leader = await LeaderOf(id, _nodes);
            var written = await ReplicaOf(leader, id).Ask<ShardReply>(new WriteRequest(new KvPut($"k{shard}", Encoding.UTF8.GetBytes($"v{shard}"), KvCondition.None)), Deadline);
            Assert.IsType<KvResult.Written>(Assert.IsType<WriteReply>(written).Result);
            foreach (var node in _nodes)
            {
                await AwaitAssertAsync(async () =>
                {
                    var read = await ReplicaOf(node, id).Ask<ShardReply>(new ReadRequest($"k{shard}", ReadConsistency.Serializable), TimeSpan.FromSeconds(3));
                    Assert.Equal($"v{shard}", Encoding.UTF8.GetString(Assert.IsType<ReadReply>(read).Value!.Value.Span));
                }, Deadline, TimeSpan.FromMilliseconds(50));
            }
        }
        var sent = _nodes.Sum(node => node.Transport.Counters.MessagesSent);
        var batches = _nodes.Sum(node => node.Transport.Counters.BatchesSent);
        Output?.WriteLine($"{sent} Raft messages in {batches} batches");
        Assert.True(batches > 0 && batches <= sent, $"{sent} messages, {batches} batches");

        // A node stops: every group keeps a quorum of two and commits.
        var stopped = _nodes[0];
        await stopped.System.Terminate();
        var survivors = _nodes.Skip(1).ToList();
        for (var shard = 0u; shard < Shards; shard++)
        {
            var id = new ShardId(shard);
            await AwaitAssertAsync(async () =>
            {
                var leader = await LeaderOf(id, survivors);
                var reply = await ReplicaOf(leader, id).Ask<ShardReply>(new WriteRequest(new KvPut($"after{shard}", new byte[] { 1 }, KvCondition.None)), TimeSpan.FromSeconds(5));
                Assert.IsType<KvResult.Written>(Assert.IsType<WriteReply>(reply).Result);
            }, Deadline, TimeSpan.FromMilliseconds(200));
        }
    }

    private static async Task<ShardReply> WriteAsync(Node leader, ShardId shard, string key, string value) =>
        await ReplicaOf(leader, shard).Ask<ShardReply>(new WriteRequest(new KvPut(key, Encoding.UTF8.GetBytes(value), KvCondition.None)), Deadline);

    [Fact]
    public async Task A_write_commits_over_akka_remote_and_the_group_survives_the_loss_of_its_leaders_node()
    {
        var shard = new ShardId(0);
        var conf = new ConfState([new NodeId(1), new NodeId(2), new NodeId(3)]);
        _nodes.AddRange(conf.Voters.Order().Select(StartNode));
        foreach (var node in _nodes)
        {
            foreach (var peer in _nodes)
            {
                node.Transport.SetPeerAddress(peer.Id, AddressOf(peer.System));
            }
            node.Manager.Tell(new BootstrapReplica(shard, conf));
        }

        var leader = await LeaderOf(shard, _nodes);
        Assert.IsType<WriteReply>(await WriteAsync(leader, shard, "k", "v1"));
        await AwaitAssertAsync(async () =>
        {
            foreach (var node in _nodes)
            {
                var read = await ReplicaOf(node, shard).Ask<ShardReply>(new ReadRequest("k", ReadConsistency.Serializable), TimeSpan.FromSeconds(3));
                var value = Assert.IsType<ReadReply>(read).Value;
                Assert.Equal("v1", value is { } held ? Encoding.UTF8.GetString(held.Value.Span) : null);
            }
        }, Deadline, TimeSpan.FromMilliseconds(50));

        // The leader's node stops: the two left must elect one of themselves, over the network, and go on.
        await leader.System.Terminate();
        var survivors = _nodes.Where(node => node != leader).ToList();
        var newLeader = await LeaderOf(shard, survivors);
        Assert.NotEqual(leader.Id, newLeader.Id);
        Assert.IsType<WriteReply>(await WriteAsync(newLeader, shard, "k", "v2"));
        var linearizable = await ReplicaOf(newLeader, shard).Ask<ReadReply>(new ReadRequest("k"), Deadline);
        Assert.Equal("v2", Encoding.UTF8.GetString(linearizable.Value!.Value.Span));
    }
}
