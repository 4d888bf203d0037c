using System.Diagnostics;
using System.Globalization;
using Akka.Actor;
using AkkaKv.Persistence.Snapshots;
using AkkaKv.Persistence.Storage;
using AkkaKv.Persistence.Wal;
using AkkaKv.Raft;
using AkkaKv.Sharding;
using AkkaKv.Sharding.Hosting;
using AkkaKv.Store;
using Microsoft.Extensions.Logging.Abstractions;

namespace AkkaKv.Benchmarks;

/// <summary>
/// Replicated write throughput in one process: <c>replicas</c> simulated nodes, each with a real WAL (files, fsync on)
/// in a temporary directory, <c>shards</c> Raft groups (<see cref="ShardReplicaHost"/> actors in one Akka.NET actor
/// system) spread over them, connected in process; <c>clients</c>
/// concurrent writers send 256-byte puts over 100,000 keys to each shard's leader for <c>seconds</c>.
/// Run: <c>dotnet run -c Release --project bench/AkkaKv.Benchmarks -- group --replicas 3 --shards 1 --clients 64 --seconds 10</c>.
/// </summary>
internal static class GroupThroughput
{
    public static async Task<int> RunAsync(string[] args)
    {
        var replicas = Option(args, "--replicas", 3);
        var shards = Option(args, "--shards", 1);
        var clients = Option(args, "--clients", 64);
        var seconds = Option(args, "--seconds", 10);
        var root = Directory.CreateTempSubdirectory("akkakv-group-bench-").FullName;
        var system = ActorSystem.Create("bench");
        var transport = new InProcessRaftTransport();
        var nodes = Enumerable.Range(1, replicas).Select(i => new NodeId((ulong)i)).ToList();
        var conf = new ConfState(nodes);
        var wals = nodes.Select(node => NodeWal.Open(new FileWalStorage(Path.Combine(root, $"n{node.Value}", "wal")))).ToList();
        var actors = new IActorRef[shards, replicas];
        for (var shard = 0; shard < shards; shard++)
        {
            for (var r = 0; r < replicas; r++)
            {
                var id = new ShardId((uint)shard);
                var snapshots = new FileSnapshotStore(Path.Combine(root, $"n{r + 1}", "snapshots"));
                actors[shard, r] = system.ActorOf(ShardReplicaHost.Props(id, nodes[r], conf, wals[r], snapshots, transport, new RaftGroupOptions(),
                    NullLoggerFactory.Instance, TimeProvider.System), $"s{shard}-n{r + 1}");
                transport.Register(nodes[r], id, actors[shard, r]);
            }
        }
        var leaders = new IActorRef[shards];
        for (var shard = 0; shard < shards; shard++)
        {
            leaders[shard] = await AwaitLeaderAsync(actors, shard, replicas);
        }

        var partitioner = new ShardPartitioner(shards);
        var value = new byte[256];
        var latencies = new List<long>[clients];
        var stopwatch = Stopwatch.StartNew();
        var process = Process.GetCurrentProcess();
        TimeSpan? cpuAtWarmUpEnd = null;
        var warmUpEnds = TimeSpan.FromSeconds(2);
        var ends = warmUpEnds + TimeSpan.FromSeconds(seconds);
        await Task.WhenAll(Enumerable.Range(0, clients).Select(client => Task.Run(async () =>
        {
            var random = new Random(client);
            var mine = latencies[client] = new List<long>(100_000);
            while (stopwatch.Elapsed < ends)
            {
                var key = $"bench-{random.Next(100_000)}";
                var started = stopwatch.ElapsedTicks;
                var reply = await leaders[(int)partitioner.ShardOf(key).Value].Ask<ShardReply>(
                    new WriteRequest(new KvPut(key, value, KvCondition.None)), TimeSpan.FromSeconds(10));
                if (reply is not WriteReply)
                {
                    throw new InvalidOperationException($"unexpected reply {reply}");
                }
                if (stopwatch.Elapsed > warmUpEnds)
                {
                    if (cpuAtWarmUpEnd is null && client == 0)
                    {
                        process.Refresh();
                        cpuAtWarmUpEnd = process.TotalProcessorTime;
                    }
                    mine.Add(stopwatch.ElapsedTicks - started);
                }
            }
        })));
        process.Refresh();
        var cpu = process.TotalProcessorTime - (cpuAtWarmUpEnd ?? TimeSpan.Zero);
        var all = latencies.SelectMany(list => list).Order().ToArray();
        double Millis(long ticks) => ticks * 1000.0 / Stopwatch.Frequency;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"replicas={replicas} shards={shards} clients={clients}: {all.Length / (double)seconds:F0} puts/s, " +
            $"p50 {Millis(all[all.Length / 2]):F2} ms, p99 {Millis(all[(int)(all.Length * 0.99)]):F2} ms, max {Millis(all[^1]):F2} ms, " +
            $"{wals.Sum(wal => wal.Statistics.Flushes)} fsyncs, {cpu.TotalMicroseconds / all.Length:F0} µs CPU per put"));
        await system.Terminate();
        foreach (var wal in wals)
        {
            await wal.DisposeAsync();
        }
        Directory.Delete(root, recursive: true);
        return 0;
    }

    private static async Task<IActorRef> AwaitLeaderAsync(IActorRef[,] actors, int shard, int replicas)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (DateTime.UtcNow < deadline)
        {
            for (var r = 0; r < replicas; r++)
            {
                var status = await actors[shard, r].Ask<ShardStatus>(GetShardStatus.Instance);
                if (status.Role == RaftRole.Leader)
                {
                    return actors[shard, r];
                }
            }
            await Task.Delay(50); // polling a benchmark's set-up, not a test
        }
        throw new TimeoutException($"no leader for shard {shard}");
    }

    private static int Option(string[] args, string name, int fallback)
    {
        var at = Array.IndexOf(args, name);
        return at >= 0 && at + 1 < args.Length ? int.Parse(args[at + 1], CultureInfo.InvariantCulture) : fallback;
    }
}
