using System.Collections.Concurrent;
using System.Text;
using Akka.Actor;
using AkkaKv.Persistence.Snapshots;
using AkkaKv.Persistence.Storage;
using AkkaKv.Persistence.Wal;
using AkkaKv.Raft;
using AkkaKv.Sharding.Hosting;
using AkkaKv.Sharding.Placement;
using AkkaKv.Store;
using Microsoft.Extensions.Logging.Abstractions;

namespace AkkaKv.Sharding.Tests;

/// <summary>
/// Replicas moved by the placement coordinator on real Raft groups: four shards bootstrapped as groups of one on
/// node 1 grow to three voters on three nodes — each move an added learner that catches up by snapshot and log, is
/// promoted, and (when a node leaves) the old replica removed after a leader transfer — while a client keeps writing
/// through the routing cache. Every acknowledged write is readable afterwards, from the leader and from each new
/// replica's own state. Method: one Akka.NET actor system (<see cref="ShardReplicaHost"/> replicas, the coordinator in
/// its <see cref="PlacementCoordinatorHost"/>), a WAL per node (in memory), the in-process Raft transport, real time
/// with fast Raft timings; the coordinator's executor is the real one.
/// </summary>
public sealed class ShardMoveTests : Akka.TestKit.Xunit2.TestKit, IAsyncLifetime
{
    private readonly ITestOutputHelper _output;

    public ShardMoveTests(ITestOutputHelper output)
        : base("akka.loglevel = WARNING", output) => _output = output;

    private const int ShardCount = 4;
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(90);
    private readonly string _root = Directory.CreateTempSubdirectory("akkakv-moves-").FullName;
    private readonly InProcessRaftTransport _transport = new();
    private readonly Dictionary<NodeId, NodeWal> _wals = [];
    private readonly ConcurrentDictionary<(ShardId, NodeId), IActorRef> _replicas = new();

    private static NodeId N(int i) => new((ulong)i);

    public Task InitializeAsync()
    {
        for (var i = 1; i <= 3; i++)
        {
            _wals[N(i)] = NodeWal.Open(new MemoryWalStorage());
        }
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        await Sys.Terminate();
        foreach (var wal in _wals.Values)
        {
            await wal.DisposeAsync();
        }
        Directory.Delete(_root, recursive: true);
    }

    private IActorRef Start(ShardId shard, NodeId node, ConfState conf)
    {
        var snapshots = new FileSnapshotStore(Path.Combine(_root, $"{node}", $"{shard}"));
        var replica = Sys.ActorOf(ShardReplicaHost.Props(shard, node, conf, _wals[node], snapshots, _transport, MoveTimings.Options, NullLoggerFactory.Instance, TimeProvider.System),
            $"{node}-{shard}-{Guid.NewGuid():N}");
        _transport.Register(node, shard, replica);
        _replicas[(shard, node)] = replica;
        return replica;
    }

    private sealed class Host(ShardMoveTests test) : IReplicaHost
    {
        public Task StartReplicaAsync(ShardId shard, NodeId node, CancellationToken cancellationToken)
        {
            if (!test._replicas.ContainsKey((shard, node)))
            {
                test.Start(shard, node, new ConfState([])); // empty: the leader sends everything
            }
            return Task.CompletedTask;
        }

        public Task StopReplicaAsync(ShardId shard, NodeId node, CancellationToken cancellationToken)
        {
            if (test._replicas.TryRemove((shard, node), out var replica))
            {
                test._transport.Unregister(node, shard);
                test.Sys.Stop(replica);
            }
            return Task.CompletedTask;
        }
    }

    private sealed class Locator(ShardMoveTests test) : IShardLocator
    {
        public IReadOnlyList<NodeId> ReplicasOf(ShardId shard) => [.. test._replicas.Keys.Where(key => key.Item1 == shard).Select(key => key.Item2).Order()];

        public Task<ShardReply?> AskAsync(ShardId shard, NodeId node, ShardRequest request, TimeSpan timeout, CancellationToken cancellationToken) =>
            AkkaAsk.AskReplicaAsync(test._replicas.GetValueOrDefault((shard, node)), request, timeout, cancellationToken);
    }

    private static async Task<ShardMap> PlacementAsync(IActorRef coordinator) => (await coordinator.Ask<ShardMapHistory>(GetPlacement.Instance, TimeSpan.FromSeconds(5))).Current;

    [Fact]
    public async Task Shards_grow_from_one_node_to_three_and_shrink_off_a_leaving_node_without_losing_an_acknowledged_write()
    {
        for (var s = 0; s < ShardCount; s++)
        {
            Start(new ShardId((uint)s), N(1), new ConfState([N(1)]));
        }
        var region = new ShardRegion(new Locator(this), new ShardRegionOptions { LocalNode = N(1), RequestTimeout = TimeSpan.FromSeconds(2), MaxAttempts = 8 });
        var partitioner = new ShardPartitioner(ShardCount);
        var executor = new RaftPlacementExecutor(region, new Host(this), maxLagEntries: 2);
        var coordinator = Sys.ActorOf(PlacementCoordinatorHost.Props(ShardMap.Bootstrap(ShardCount, N(1)),
            new PlacementCoordinatorOptions { RoundInterval = TimeSpan.FromMilliseconds(100), Placement = new PlacementOptions { MaxConcurrentMoves = 2 } }, executor,
            store: null, TimeProvider.System), "placement");

        // A client writes throughout; only acknowledged writes are remembered.
        var acknowledged = new ConcurrentDictionary<string, string>();
        var unknown = new ConcurrentDictionary<string, ConcurrentBag<string>>(); // writes after the last acknowledged one whose outcome is unknown (maybe applied)
        using var stop = new CancellationTokenSource();
        var writer = Task.Run(async () =>
        {
            for (var i = 0; !stop.IsCancellationRequested; i++)
            {
                var key = $"key-{i % 50}";
                var value = $"value-{i}";
                var shard = partitioner.ShardOf(key);
                switch (await region.SendAsync(shard, new WriteRequest(new KvPut(key, Encoding.UTF8.GetBytes(value), KvCondition.None, $"w{i}"))))
                {
                    case WriteReply:
                        acknowledged[key] = value;
                        unknown.TryRemove(key, out _);
                        break;
                    case OutcomeUnknown:
                        unknown.GetOrAdd(key, _ => []).Add(value); // timed out: may or may not have been applied
                        break;
                    default:
                        break; // refused (unavailable, not leader): not applied
                }
            }
        });

        await AwaitConditionAsync(() => Task.FromResult(!acknowledged.IsEmpty), Patience, TimeSpan.FromMilliseconds(20)); // some writes land before the first move
        coordinator.Tell(new NodeAvailable(N(2)));
        coordinator.Tell(new NodeAvailable(N(3)));
        await AwaitAssertAsync(async () =>
        {
            var map = await PlacementAsync(coordinator);
            Assert.All(map.Shards.Values, shard => Assert.Equal(3, shard.Voters.Count));
            Assert.All(map.Shards.Values, shard => Assert.Empty(shard.Learners));
        }, Patience, TimeSpan.FromMilliseconds(200));
        _output.WriteLine($"grown to 3 voters per shard at configuration {(await PlacementAsync(coordinator)).Number}; {acknowledged.Count} keys acknowledged so far");

        coordinator.Tell(new NodeLeaving(N(1)));
        await AwaitAssertAsync(async () => Assert.DoesNotContain((await PlacementAsync(coordinator)).Shards.Values, shard => shard.IsOn(N(1))), Patience, TimeSpan.FromMilliseconds(200));
        _output.WriteLine($"node 1 emptied at configuration {(await PlacementAsync(coordinator)).Number}");
        await stop.CancelAsync();
        await writer;

        Assert.NotEmpty(acknowledged);
        foreach (var (key, value) in acknowledged)
        {
            var reply = await region.SendAsync(partitioner.ShardOf(key), new ReadRequest(key));
            var read = Encoding.UTF8.GetString(Assert.IsType<ReadReply>(reply).Value!.Value.Span);
            Assert.True(read == value || (unknown.TryGetValue(key, out var maybe) && maybe.Contains(read)), $"{key}: read {read}, acknowledged {value}");
        }
        // Each remaining replica holds the data itself (serializable reads of its own applied state).
        foreach (var ((shard, node), replica) in _replicas)
        {
            Assert.NotEqual(N(1), node);
            foreach (var (key, value) in acknowledged.Where(pair => partitioner.ShardOf(pair.Key) == shard))
            {
                var latest = Encoding.UTF8.GetString(Assert.IsType<ReadReply>(await region.SendAsync(shard, new ReadRequest(key))).Value!.Value.Span);
                await AwaitAssertAsync(async () =>
                {
                    var read = await replica.Ask<ShardReply>(new ReadRequest(key, ReadConsistency.Serializable), TimeSpan.FromSeconds(5));
                    Assert.Equal(latest, Encoding.UTF8.GetString(Assert.IsType<ReadReply>(read).Value!.Value.Span));
                }, TimeSpan.FromSeconds(10));
            }
        }
    }
}
