using System.Collections.Concurrent;
using System.Net;
using System.Text;
using AkkaKv.Actors;
using AkkaKv.Persistence.Snapshots;
using AkkaKv.Persistence.Storage;
using AkkaKv.Persistence.Wal;
using AkkaKv.Raft;
using AkkaKv.Remote;
using AkkaKv.Sharding.Placement;
using AkkaKv.Sharding.Remoting;
using AkkaKv.Store;
using Microsoft.Extensions.Logging.Abstractions;

namespace AkkaKv.Sharding.Tests;

/// <summary>
/// Moves across the network: three nodes, each its own actor system, WAL, TCP transport (Raft frames to its
/// <see cref="ReplicaManagerActor"/>) and remote actor references. The coordinator on node 1 spreads two shards from node 1
/// to all three nodes — starting replicas through the remote managers, changing membership and reading status through
/// remote references to the shards' leaders — while writes go on; everything acknowledged is then read back, also from
/// the replicas on nodes 2 and 3 themselves. Method: loopback TCP, real time, fast Raft timings.
/// </summary>
public sealed class ShardMovesOverTcpTests : IAsyncLifetime
{
    private const string Cluster = "moves";
    private const int ShardCount = 2;
    private readonly string _root = Directory.CreateTempSubdirectory("akkakv-tcp-moves-").FullName;
    private readonly ConcurrentDictionary<NodeId, string> _addresses = new();
    private readonly List<(ActorSystem System, TcpNodeTransport Transport, NodeWal Wal)> _nodes = [];
    private readonly Dictionary<NodeId, (RemoteActorProvider Refs, IActorRef Manager)> _byNode = [];

    private static NodeId N(int i) => new((ulong)i);


    public Task InitializeAsync()
    {
        var serializers = RemoteSerializers.CreateDefault().AddShardProtocol();
        for (var i = 1; i <= 3; i++)
        {
            var node = N(i);
            var system = ActorSystem.Create($"node{i}");
            var wal = NodeWal.Open(new MemoryWalStorage());
            IActorRef? manager = null;
            var transport = new TcpNodeTransport(
                new TcpTransportOptions { Cluster = Cluster, Node = node, Incarnation = 1, Listen = new IPEndPoint(IPAddress.Loopback, 0), MinReconnectDelay = TimeSpan.FromMilliseconds(20), MaxReconnectDelay = TimeSpan.FromMilliseconds(200) },
                peer => _addresses.GetValueOrDefault(peer),
                (shard, message) => manager?.Tell(new RaftEnvelope(shard, message)),
                NullLogger.Instance);
            transport.Start();
            _addresses[node] = transport.Address;
            manager = system.ActorOf(ReplicaManagerActor.Props(node, wal, new FileSnapshotStore(Path.Combine(_root, $"{node}")), transport, MoveTimings.Options), "replicas");
            _nodes.Add((system, transport, wal));
            _byNode[node] = (new RemoteActorProvider(system, transport, serializers, Cluster, NullLogger.Instance), manager);
        }
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        foreach (var (system, transport, wal) in _nodes)
        {
            await system.Terminate();
            await transport.DisposeAsync();
            await wal.DisposeAsync();
        }
        Directory.Delete(_root, recursive: true);
    }

    /// <summary>What node 1 — where the coordinator and the client run — knows: replicas as placed, reached by path.</summary>
    private sealed class Locator(ShardMovesOverTcpTests test, Func<ShardMap> placement) : IShardLocator
    {
        public IReadOnlyList<NodeId> ReplicasOf(ShardId shard) => [.. placement().Shards[shard].Voters];

        public Task<ShardReply?> AskAsync(ShardId shard, NodeId node, ShardRequest request, TimeSpan timeout, CancellationToken cancellationToken) =>
            ActorAsk.AskReplicaAsync(Resolve(shard, node), request, timeout, cancellationToken);

        public IActorRef? Resolve(ShardId shard, NodeId node)
        {
            var refs = test._byNode[N(1)].Refs;
            var replica = refs.Resolve($"akkakv://{Cluster}@{test._addresses[node]}/user/replicas/{ReplicaManagerActor.ReplicaName(shard)}");
            return ReferenceEquals(replica, refs.System.DeadLetters) ? null : replica; // a local replica not started yet
        }
    }

    private IActorRef ManagerOf(NodeId node) => _byNode[N(1)].Refs.Resolve($"akkakv://{Cluster}@{_addresses[node]}/user/replicas");

    private static async Task<ShardMap> PlacementAsync(IActorRef coordinator) => (await coordinator.Ask<ShardMapHistory>(GetPlacement.Instance, TimeSpan.FromSeconds(5))).Current;

    private static async Task AwaitAsync(Func<Task<bool>> condition, string what)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(90);
        while (!await condition())
        {
            Assert.True(DateTime.UtcNow < deadline, $"not within 90 s: {what}");
            await Task.Delay(100); // allowed: polling a condition with a deadline
        }
    }

    [Fact]
    public async Task Two_shards_spread_from_one_node_to_three_over_tcp_keeping_every_acknowledged_write()
    {
        var system = _nodes[0].System;
        for (var s = 0; s < ShardCount; s++)
        {
            _byNode[N(1)].Manager.Tell(new BootstrapReplica(new ShardId((uint)s), new ConfState([N(1)])));
        }
        ShardMap current = ShardMap.Bootstrap(ShardCount, N(1));
        var region = new ShardRegion(new Locator(this, () => Volatile.Read(ref current)), new ShardRegionOptions { LocalNode = N(1), RequestTimeout = TimeSpan.FromSeconds(3), MaxAttempts = 8 });
        var executor = new RaftPlacementExecutor(region, new RemoteReplicaHost(ManagerOf, TimeSpan.FromSeconds(5)), maxLagEntries: 2);
        var coordinator = system.ActorOf(PlacementCoordinatorActor.Props(current,
            new PlacementCoordinatorOptions { RoundInterval = TimeSpan.FromMilliseconds(100), Placement = new PlacementOptions { MaxConcurrentMoves = 2 } }, executor), "placement");

        var partitioner = new ShardPartitioner(ShardCount);
        var acknowledged = new ConcurrentDictionary<string, string>();
        var unknown = new ConcurrentDictionary<string, ConcurrentBag<string>>();
        using var stop = new CancellationTokenSource();
        var writer = Task.Run(async () =>
        {
            for (var i = 0; !stop.IsCancellationRequested; i++)
            {
                var key = $"key-{i % 20}";
                var value = $"value-{i}";
                try
                {
                    if (await region.SendAsync(partitioner.ShardOf(key), new WriteRequest(new KvPut(key, Encoding.UTF8.GetBytes(value), KvCondition.None, $"w{i}"))) is WriteReply)
                    {
                        acknowledged[key] = value;
                        unknown.TryRemove(key, out _);
                    }
                }
                catch (AskTimeoutException)
                {
                    unknown.GetOrAdd(key, _ => []).Add(value);
                }
            }
        });

        await AwaitAsync(() => Task.FromResult(!acknowledged.IsEmpty), "a first write");
        coordinator.Tell(new NodeAvailable(N(2)));
        coordinator.Tell(new NodeAvailable(N(3)));
        await AwaitAsync(async () =>
        {
            var map = await PlacementAsync(coordinator);
            Volatile.Write(ref current, map);
            return map.Shards.Values.All(shard => shard.Voters.Count == 3 && shard.Learners.Count == 0);
        }, "three voters per shard");
        await Task.Delay(300); // allowed: a few more writes on the grown groups
        await stop.CancelAsync();
        await writer;

        Assert.NotEmpty(acknowledged);
        foreach (var (key, value) in acknowledged)
        {
            var read = Encoding.UTF8.GetString(Assert.IsType<ReadReply>(await region.SendAsync(partitioner.ShardOf(key), new ReadRequest(key))).Value!.Value.Span);
            Assert.True(read == value || (unknown.TryGetValue(key, out var maybe) && maybe.Contains(read)), $"{key}: read {read}, acknowledged {value}");
            foreach (var node in new[] { N(2), N(3) })
            {
                var replica = new Locator(this, () => current).Resolve(partitioner.ShardOf(key), node)!;
                await AwaitAsync(async () => await replica.Ask<ShardReply>(new ReadRequest(key, ReadConsistency.Serializable), TimeSpan.FromSeconds(5)) is ReadReply { Value: { } held }
                    && Encoding.UTF8.GetString(held.Value.Span) == read, $"{key} on {node}'s own replica");
            }
        }
    }
}
