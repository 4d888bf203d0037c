using System.Collections.Concurrent;
using System.Net;
using System.Text;
using AkkaKv.Actors;
using AkkaKv.Persistence.Snapshots;
using AkkaKv.Persistence.Storage;
using AkkaKv.Persistence.Wal;
using AkkaKv.Raft;
using AkkaKv.Remote;
using AkkaKv.Store;
using Microsoft.Extensions.Logging.Abstractions;

namespace AkkaKv.Sharding.Tests;

/// <summary>
/// A Raft group whose replicas talk over real TCP: three "nodes" in one process, each with its own actor system,
/// WAL and <see cref="TcpNodeTransport"/> on a loopback port. A write commits through the network; when the leader's
/// node stops, the other two elect a new leader and keep serving. Method: real time, assertions with deadlines.
/// </summary>
public sealed class GroupOverTcpTests(ITestOutputHelper output) : TestKit.TestKit(output), IAsyncLifetime
{
    private static readonly ShardId Shard = new(0);
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(20);
    private readonly ConcurrentDictionary<NodeId, EndPoint> _addresses = new();
    private readonly List<TcpNode> _nodes = [];
    private readonly string _root = Directory.CreateTempSubdirectory("akkakv-tcp-group-").FullName;

    private sealed class TcpNode(NodeId id, ActorSystem system, NodeWal wal, TcpNodeTransport transport, IActorRef replica)
    {
        public NodeId Id { get; } = id;
        public ActorSystem System { get; } = system;
        public NodeWal Wal { get; } = wal;
        public TcpNodeTransport Transport { get; } = transport;
        public IActorRef Replica { get; } = replica;
        public bool Stopped { get; set; }
    }

    public Task InitializeAsync()
    {
        var ids = new[] { new NodeId(1), new NodeId(2), new NodeId(3) };
        var conf = new ConfState(ids);
        var options = new RaftGroupOptions { TickInterval = TimeSpan.FromMilliseconds(20), Raft = new RaftOptions { ElectionTicks = 10, HeartbeatTicks = 1 } };
        foreach (var id in ids)
        {
            var system = ActorSystem.Create($"node{id.Value}");
            var wal = NodeWal.Open(new MemoryWalStorage());
            IActorRef? replica = null;
            var transport = new TcpNodeTransport(
                new TcpTransportOptions { Cluster = "tcp-test", Node = id, Incarnation = 1, Listen = new IPEndPoint(IPAddress.Loopback, 0), MinReconnectDelay = TimeSpan.FromMilliseconds(20), MaxReconnectDelay = TimeSpan.FromMilliseconds(200) },
                peer => _addresses.TryGetValue(peer, out var address) ? address.ToString() : null,
                (shard, message) => replica?.Tell(new RaftEnvelope(shard, message)),
                NullLogger.Instance);
            transport.Start();
            _addresses[id] = transport.LocalEndPoint;
            replica = system.ActorOf(ShardReplicaActor.Props(Shard, id, conf, wal, new FileSnapshotStore(Path.Combine(_root, $"n{id.Value}")), transport, options), "shard-0");
            _nodes.Add(new TcpNode(id, system, wal, transport, replica));
        }
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        foreach (var node in _nodes.Where(node => !node.Stopped))
        {
            await StopAsync(node);
        }
        Directory.Delete(_root, recursive: true);
    }

    private static async Task StopAsync(TcpNode node)
    {
        node.Stopped = true;
        await node.Transport.DisposeAsync();
        await node.System.Terminate();
        await node.Wal.DisposeAsync();
    }

    private TcpNode AwaitLeader(IEnumerable<TcpNode> among)
    {
        TcpNode? leader = null;
        AwaitAssert(() =>
        {
            leader = among.FirstOrDefault(node => AskOrNull<ShardStatus>(node, GetShardStatus.Instance)?.Role == RaftRole.Leader);
            Assert.NotNull(leader);
        }, Patience);
        return leader!;
    }

    /// <summary>An answer within a second, or null (a busy machine may be slower; the caller retries).</summary>
    private static T? AskOrNull<T>(TcpNode node, object request) where T : class
    {
        try
        {
            return node.Replica.Ask<T>(request, TimeSpan.FromSeconds(1)).GetAwaiter().GetResult();
        }
        catch (AskTimeoutException)
        {
            return null;
        }
    }

    private static async Task<ShardReply> WriteAsync(TcpNode leader, string key, string value) =>
        await leader.Replica.Ask<ShardReply>(new WriteRequest(new KvPut(key, Encoding.UTF8.GetBytes(value), KvCondition.None)), Patience);

    [Fact]
    public async Task A_write_commits_over_tcp_and_the_group_survives_the_loss_of_its_leaders_node()
    {
        var leader = AwaitLeader(_nodes);
        Assert.IsType<WriteReply>(await WriteAsync(leader, "k", "v1"));
        AwaitAssert(() =>
        {
            foreach (var node in _nodes)
            {
                var read = AskOrNull<ReadReply>(node, new ReadRequest("k", ReadConsistency.Serializable));
                Assert.NotNull(read);
                Assert.Equal("v1", read.Value is { } value ? Encoding.UTF8.GetString(value.Value.Span) : null);
            }
        }, Patience);

        await StopAsync(leader);
        var survivors = _nodes.Where(node => !node.Stopped).ToList();
        var newLeader = AwaitLeader(survivors);
        Assert.IsType<WriteReply>(await WriteAsync(newLeader, "k", "v2"));
        var linearizable = await newLeader.Replica.Ask<ReadReply>(new ReadRequest("k"), Patience);
        Assert.Equal("v2", Encoding.UTF8.GetString(linearizable.Value!.Value.Span));
    }
}
