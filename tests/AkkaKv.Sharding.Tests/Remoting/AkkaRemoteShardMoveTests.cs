using System.Collections.Concurrent;
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
using AkkaKv.Store;
using Microsoft.Extensions.Logging.Abstractions;

namespace AkkaKv.Sharding.Tests.Remoting;

/// <summary>
/// Moves across the network on Akka.Remote: three nodes, each its own actor system on loopback with a WAL, a
/// <see cref="ReplicaManagerHost"/> and an <see cref="AkkaRaftTransport"/>. The coordinator on node 1 spreads two
/// shards from node 1 to all three nodes — starting replicas through the other nodes' managers
/// (<see cref="AkkaReplicaHost"/>), changing membership and reading status through remote references to the shards'
/// leaders (<see cref="AkkaShardLocator"/>) — while writes go on; everything acknowledged is then read back, also
/// from the replicas on nodes 2 and 3 themselves. Method: DotNetty TCP on loopback, real time, fast Raft timings,
/// conditions awaited with deadlines.
/// </summary>
public sealed class AkkaRemoteShardMoveTests : Akka.TestKit.Xunit2.TestKit
{
    private const int ShardCount = 2;
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(90);
    private static readonly Config NodeConfig = LoopbackRemoting.Config("akka.remote.dot-netty.tcp.maximum-frame-size = 16MiB");

    private readonly string _root = Directory.CreateTempSubdirectory("akkakv-akka-moves-").FullName;
    private readonly List<Node> _nodes = [];
    private readonly PeerDirectory _peers = new();

    public AkkaRemoteShardMoveTests(ITestOutputHelper output)
        : base(NodeConfig, "akkakv", output)
    {
        for (var i = 1; i <= 3; i++)
        {
            _nodes.Add(StartNode(N(i)));
        }
        foreach (var node in _nodes)
        {
            _peers.Set(node.Id, $"node-{node.Id.Value}", AddressOf(node.System));
            foreach (var peer in _nodes)
            {
                node.Transport.SetPeerAddress(peer.Id, AddressOf(peer.System));
            }
        }
    }

    private sealed record Node(NodeId Id, ActorSystem System, NodeWal Wal, AkkaRaftTransport Transport, ShardTraffic Traffic, IActorRef Manager);

    private static NodeId N(int i) => new((ulong)i);

    private static Address AddressOf(ActorSystem system) => ((ExtendedActorSystem)system).Provider.DefaultAddress;

    private Node StartNode(NodeId id)
    {
        var system = ActorSystem.Create("akkakv", NodeConfig);
        var wal = NodeWal.Open(new MemoryWalStorage());
        var transport = new AkkaRaftTransport(system, id);
        var traffic = new ShardTraffic(system, id, _peers, incarnation: (long)id.Value);
        var manager = system.ActorOf(ReplicaManagerHost.Props(id, wal, new FileSnapshotStore(Path.Combine(_root, $"{id}")), transport, MoveTimings.Options,
            new InMemoryClusterMembershipRecord(), NullLoggerFactory.Instance, TimeProvider.System, traffic), ReplicaManagerHost.Name);
        transport.SetLocal(manager);
        return new Node(id, system, wal, transport, traffic, manager);
    }

    protected override void AfterAll()
    {
        Task.WaitAll([.. _nodes.Select(node => node.System.Terminate())], TimeSpan.FromSeconds(30));
        foreach (var node in _nodes)
        {
            node.Wal.DisposeAsync().AsTask().Wait(TimeSpan.FromSeconds(10));
        }
        Directory.Delete(_root, recursive: true);
        base.AfterAll();
    }

    /// <summary>Node 1's reference to <paramref name="node"/>'s replica manager (a remote one for nodes 2 and 3).</summary>
    private IActorRef? ManagerOf(NodeId node)
    {
        var provider = ((ExtendedActorSystem)_nodes[0].System).Provider;
        return _peers.AddressOf(node) is { } address ? provider.ResolveActorRef(address + ReplicaManagerHost.Path) : null;
    }

    private static async Task<ShardMap> PlacementAsync(IActorRef coordinator) => (await coordinator.Ask<ShardMapHistory>(GetPlacement.Instance, TimeSpan.FromSeconds(5))).Current;

    [Fact]
    public async Task Two_shards_spread_from_one_node_to_three_over_akka_remote_keeping_every_acknowledged_write()
    {
        var first = _nodes[0];
        for (var s = 0; s < ShardCount; s++)
        {
            first.Manager.Tell(new BootstrapReplica(new ShardId((uint)s), new ConfState([N(1)])));
        }
        // What node 1 — where the coordinator and the client run — knows: the configuration as the test last read it.
        var cache = new ShardMapCache();
        var current = ShardMap.Bootstrap(ShardCount, N(1));
        cache.Offer(current, N(1));
        var locator = new AkkaShardLocator(cache, N(1), first.System, _peers, first.Traffic);
        var region = new ShardRegion(locator, new ShardRegionOptions { LocalNode = N(1), RequestTimeout = TimeSpan.FromSeconds(3), MaxAttempts = 8 });
        var executor = new RaftPlacementExecutor(region, new AkkaReplicaHost(ManagerOf, TimeSpan.FromSeconds(5)), maxLagEntries: 2);
        var coordinator = first.System.ActorOf(PlacementCoordinatorHost.Props(current,
            new PlacementCoordinatorOptions { RoundInterval = TimeSpan.FromMilliseconds(100), Placement = new PlacementOptions { MaxConcurrentMoves = 2 } }, executor,
            store: null, TimeProvider.System), "placement");

        var partitioner = new ShardPartitioner(ShardCount);
        var acknowledged = new ConcurrentDictionary<string, string>();
        var unknown = new ConcurrentDictionary<string, ConcurrentBag<string>>(); // writes after the last acknowledged one whose outcome is unknown (maybe applied)
        var acknowledgedWrites = 0;
        using var stop = new CancellationTokenSource();
        var writer = Task.Run(async () =>
        {
            for (var i = 0; !stop.IsCancellationRequested; i++)
            {
                var key = $"key-{i % 20}";
                var value = $"value-{i}";
                switch (await region.SendAsync(partitioner.ShardOf(key), new WriteRequest(new KvPut(key, Encoding.UTF8.GetBytes(value), KvCondition.None, $"w{i}"))))
                {
                    case WriteReply:
                        acknowledged[key] = value;
                        unknown.TryRemove(key, out _);
                        Interlocked.Increment(ref acknowledgedWrites);
                        break;
                    case OutcomeUnknown:
                        unknown.GetOrAdd(key, _ => []).Add(value); // timed out: may or may not have been applied
                        break;
                    default:
                        break; // refused (unavailable, not leader): not applied
                }
            }
        });

        await AwaitConditionAsync(() => Task.FromResult(!acknowledged.IsEmpty), Patience, TimeSpan.FromMilliseconds(20), "a first write");
        coordinator.Tell(new NodeAvailable(N(2)));
        coordinator.Tell(new NodeAvailable(N(3)));
        await AwaitConditionAsync(async () =>
        {
            var map = await PlacementAsync(coordinator);
            cache.Offer(map, N(1));
            return map.Shards.Values.All(shard => shard.Voters.Count == 3 && shard.Learners.Count == 0);
        }, Patience, TimeSpan.FromMilliseconds(100), "three voters per shard");
        current = cache.Current!;
        // A few more writes acknowledged by the grown groups.
        var grownAt = Volatile.Read(ref acknowledgedWrites);
        await AwaitConditionAsync(() => Task.FromResult(Volatile.Read(ref acknowledgedWrites) >= grownAt + 10), Patience, TimeSpan.FromMilliseconds(20), "writes after the growth");
        await stop.CancelAsync();
        await writer;

        Assert.NotEmpty(acknowledged);
        foreach (var (key, value) in acknowledged)
        {
            var shard = partitioner.ShardOf(key);
            var read = Encoding.UTF8.GetString(Assert.IsType<ReadReply>(await region.SendAsync(shard, new ReadRequest(key))).Value!.Value.Span);
            Assert.True(read == value || (unknown.TryGetValue(key, out var maybe) && maybe.Contains(read)), $"{key}: read {read}, acknowledged {value}");
            foreach (var node in new[] { N(2), N(3) })
            {
                Assert.Contains(node, current.Shards[shard].Voters);
                var replica = locator.Resolve(shard, node)!; // a remote reference to the replica on that node
                await AwaitAssertAsync(async () =>
                {
                    var held = await replica.Ask<ShardReply>(new ReadRequest(key, ReadConsistency.Serializable), TimeSpan.FromSeconds(5));
                    Assert.Equal(read, Encoding.UTF8.GetString(Assert.IsType<ReadReply>(held).Value!.Value.Span));
                }, Patience, TimeSpan.FromMilliseconds(100));
            }
        }
    }
}
