using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using AkkaKv.MultiNode.Tests.Harness;
using AkkaKv.Store;
using AkkaKv.TestKit.Linearizability;

namespace AkkaKv.MultiNode.Tests;

/// <summary>
/// The sharded key-value store across nodes, driven through the nodes' HTTP APIs: shards spread from the first node
/// to three with balanced replicas and leaders while clients run (linearizable) and every node serves every key; with
/// two of four nodes stopped, exactly the shards that keep a quorum answer (and a replica without one still serves
/// serializable reads) while clients run on the quorate shards (linearizable); a node
/// joins and then leaves (drained first) while clients write, read and compare-and-swap — the client history must be
/// linearizable and every acknowledged write stays readable; a node cut off while its replicas are replaced elsewhere
/// gets replicas back after the partition heals and catches up, again under a linearizable client history; a joining
/// node whose groups keep no log behind their snapshots receives its replicas by snapshot install while clients run
/// (linearizable); a rebalance cut
/// short by its target crashing loses nothing and settles back, and replicas move onto a node behind slow and
/// throttled links — each under a linearizable history; idle shards quiesce, wake for requests, and fail over when a
/// node dies while they sleep. Method:
/// nodes in this process with fast timings,
/// conditions awaited on <c>GET /v1/shards</c> with deadlines.
/// </summary>
[Collection(MultiNodeCollection.Name)]
public sealed class ShardingSpecs(ITestOutputHelper output) : MultiNodeSpec(output)
{
    private const int ShardCount = 8;
    private static readonly string[] Three = ["node1", "node2", "node3"];
    private static readonly string[] Four = ["node1", "node2", "node3", "node4"];
    private static readonly string[] Settings = [$"akkakv.sharding.shard-count={ShardCount}", "akkakv.http.request-timeout=2s"];

    private async Task<PlacementView> StartClusterAsync(string[] names, params string[] extra)
    {
        DeclareNodes(names.Length, NodeMode.InProcess, [.. Settings, .. extra]);
        await StartAsync(names);
        await AwaitViewsAsync(names, view => view.Up.SequenceEqual(names), $"{names.Length} nodes Up");
        await AwaitReadyAsync(names);
        var placement = await AwaitPlacementAsync("node1", view => view.Settled(3, names) && view.Balanced(names), $"every shard on 3 of {names.Length} nodes, balanced");
        Step($"{names.Length} nodes up; placement settled at configuration {placement.Configuration}");
        return placement;
    }

    /// <summary>A key of each shard (the key space is hashed into <see cref="ShardCount"/> shards).</summary>
    private static Dictionary<uint, string> KeyPerShard()
    {
        var partitioner = new ShardPartitioner(ShardCount);
        var keys = new Dictionary<uint, string>();
        for (var i = 0; keys.Count < ShardCount; i++)
        {
            keys.TryAdd(partitioner.ShardOf($"key-{i}").Value, $"key-{i}");
        }
        return keys;
    }

    [Fact]
    public Task Shards_spread_from_the_first_node_to_three_balanced_and_every_node_serves_every_key() => RunSpecAsync(async () =>
    {
        // Clients run against node 1 from the start, while every shard spreads from it to the two nodes that join.
        DeclareNodes(3, NodeMode.InProcess, Settings);
        await StartAsync("node1");
        await AwaitReadyAsync(["node1"]);
        var history = new ConcurrentQueue<KvOperation>();
        var clock = Stopwatch.StartNew();
        using var stop = new CancellationTokenSource();
        var clients = Enumerable.Range(0, 3).Select(client => Task.Run(() => RunClientAsync(client, ["node1"], history, clock, stop.Token))).ToList();
        await StartAsync("node2", "node3");
        await AwaitViewsAsync(Three, view => view.Up.SequenceEqual(Three), "3 nodes Up");
        await AwaitReadyAsync(Three);
        var placement = await AwaitPlacementAsync("node1", view => view.Settled(3, Three) && view.Balanced(Three), "every shard on 3 of 3 nodes, balanced");
        Step($"spread to 3 nodes at configuration {placement.Configuration}");
        await stop.CancelAsync();
        await Task.WhenAll(clients);
        AssertLinearizable(history);
        Assert.Equal(3, placement.Placement!.Voters.Count); // the placement group: min(5, nodes)
        Assert.All(Three, name => Assert.Equal(placement.ReplicaCounts[name], placement.ReplicaCounts.Values.Max()));

        for (var i = 0; i < 60; i++)
        {
            using var put = await Node(Three[i % 3]).Http.PutAsync($"/v1/kv/spread-{i}", new StringContent($"value-{i}"));
            Assert.Equal(HttpStatusCode.OK, put.StatusCode);
        }
        foreach (var name in Three)
        {
            for (var i = 0; i < 60; i++)
            {
                Assert.Equal($"value-{i}", await Node(name).Http.GetStringAsync($"/v1/kv/spread-{i}"));
            }
        }
        // Eventual reads go round-robin over the replicas: each has every write once it has applied it.
        await AwaitAsync(async () =>
        {
            for (var i = 0; i < 60; i++)
            {
                using var read = await Node("node2").Http.GetAsync($"/v1/kv/spread-{i}?consistency=eventual");
                if (read.StatusCode != HttpStatusCode.OK || await read.Content.ReadAsStringAsync() != $"value-{i}")
                {
                    return false;
                }
            }
            return true;
        }, "eventual reads see every write");

        // Configuration 1 is the first node's bootstrap; every later one is kept.
        var first = await Node("node3").Http.GetFromJsonAsync<PlacementView>("/v1/config/1", new System.Text.Json.JsonSerializerOptions(System.Text.Json.JsonSerializerDefaults.Web));
        Assert.NotNull(first);
        Assert.All(first.Shards, shard => Assert.Equal(["node1"], shard.Voters));
        using var missing = await Node("node3").Http.GetAsync("/v1/config/999999");
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        using var node = await Node("node2").Http.GetAsync("/v1/node");
        Assert.Contains($"\"shards\":{ShardCount}", await node.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        // The moves are counted in the metrics of the node(s) that ran the coordinator: two learners added per shard.
        var added = 0L;
        foreach (var name in Three)
        {
            var metrics = await Node(name).Http.GetStringAsync("/metrics");
            added += metrics.Split('\n')
                .Where(line => line.StartsWith("akkakv_placement_steps_total{outcome=\"completed\",step=\"add_learner\"} ", StringComparison.Ordinal))
                .Sum(line => long.Parse(line[(line.LastIndexOf(' ') + 1)..], System.Globalization.CultureInfo.InvariantCulture));
        }
        Step($"{added} learners added, as the nodes' metrics count them");
        Assert.True(added >= 2 * (ShardCount + 1), $"{added} learners added per the metrics");
    });

    [Fact]
    public Task With_two_of_four_nodes_stopped_exactly_the_shards_that_keep_a_quorum_answer() => RunSpecAsync(async () =>
    {
        // node1 is the oldest member, so keep-oldest keeps node1+node2 when node3 and node4 stop. (Akka's static-quorum
        // cannot say "any two of four": with more than 2 x quorum-size - 1 members it downs everyone.)
        var placement = await StartClusterAsync(Four,
            "akkakv.sharding.replace-down-after=10m",
            "akkakv.cluster.split-brain-resolver.active-strategy=keep-oldest");
        var keys = KeyPerShard();
        foreach (var (shard, key) in keys)
        {
            using var put = await Node("node1").Http.PutAsync($"/v1/kv/{key}", new StringContent($"before-{shard}"));
            Assert.Equal(HttpStatusCode.OK, put.StatusCode);
        }
        string[] alive = ["node1", "node2"];
        var quorate = placement.Shards.Where(shard => shard.Voters.Count(alive.Contains) * 2 > shard.Voters.Count).Select(shard => shard.Id).ToHashSet();
        Step($"shards keeping a quorum on node1+node2: [{string.Join(',', quorate.Order())}] of {ShardCount}");
        Assert.NotEmpty(quorate);
        Assert.NotEqual(ShardCount, quorate.Count); // with 3 of 4 nodes per shard, some shards have two replicas on the stopped nodes
        // Clients run on keys of the shards that keep a quorum while the two nodes are stopped (writes to the others
        // would hang with unknown outcomes).
        var partitioner = new ShardPartitioner(ShardCount);
        var quorateKeys = Enumerable.Range(0, 200).Select(i => $"q-{i}").Where(key => quorate.Contains(partitioner.ShardOf(key).Value)).Take(5).ToList();
        var history = new ConcurrentQueue<KvOperation>();
        var clock = Stopwatch.StartNew();
        using var stop = new CancellationTokenSource();
        var clients = Enumerable.Range(0, 3).Select(client => Task.Run(() => RunClientAsync(client, alive, history, clock, stop.Token, quorateKeys))).ToList();
        await Task.WhenAll(Node("node3").KillAsync(), Node("node4").KillAsync());
        Step("node3 and node4 stopped");

        foreach (var (shard, key) in keys.Where(pair => quorate.Contains(pair.Key)))
        {
            await AwaitAsync(async () =>
            {
                using var put = await Node("node2").Http.PutAsync($"/v1/kv/{key}", new StringContent($"after-{shard}"));
                return put.StatusCode == HttpStatusCode.OK;
            }, $"a write to shard {shard}, which keeps a quorum");
            Assert.Equal($"after-{shard}", await Node("node1").Http.GetStringAsync($"/v1/kv/{key}"));
        }
        foreach (var (shard, key) in keys.Where(pair => !quorate.Contains(pair.Key)))
        {
            using var put = await Node("node1").Http.PutAsync($"/v1/kv/{key}", new StringContent($"after-{shard}"));
            Assert.True(put.StatusCode is HttpStatusCode.ServiceUnavailable or HttpStatusCode.GatewayTimeout, $"shard {shard} has no quorum but answered {put.StatusCode}");
            using var get = await Node("node1").Http.GetAsync($"/v1/kv/{key}");
            Assert.Equal(HttpStatusCode.ServiceUnavailable, get.StatusCode);
            // A replica without a quorum still serves what it has applied, to serializable reads.
            var holder = placement.Shards.Single(view => view.Id == shard).Voters.FirstOrDefault(alive.Contains);
            if (holder is not null)
            {
                using var local = await Node(holder).Http.GetAsync($"/v1/kv/{key}?consistency=serializable");
                Assert.Equal(HttpStatusCode.OK, local.StatusCode);
                Assert.Equal($"before-{shard}", await local.Content.ReadAsStringAsync());
            }
        }
        Step($"{quorate.Count} shards answered, {ShardCount - quorate.Count} refused");
        await stop.CancelAsync();
        await Task.WhenAll(clients);
        AssertLinearizable(history);
    });

    [Fact]
    public Task A_node_joins_and_leaves_while_clients_run_and_the_history_is_linearizable() => RunSpecAsync(async () =>
    {
        await StartClusterAsync(Three);
        var node4 = DeclareNode("node4", NodeMode.InProcess, ClusterName, Seeds, Settings);
        var history = new ConcurrentQueue<KvOperation>();
        var clock = Stopwatch.StartNew();
        using var stop = new CancellationTokenSource();
        var entryPoints = new[] { "node1", "node2", "node3" };
        var clients = Enumerable.Range(0, 4).Select(client => Task.Run(() => RunClientAsync(client, entryPoints, history, clock, stop.Token))).ToList();

        await node4.StartAsync();
        await AwaitViewsAsync(Four, view => view.Up.SequenceEqual(Four), "node4 Up");
        var grown = await AwaitPlacementAsync("node1", view => view.Settled(3, Four) && view.Balanced(Four), "rebalanced onto node4");
        Step($"rebalanced onto node4 at configuration {grown.Configuration}: {string.Join(", ", grown.ReplicaCounts.Select(pair => $"{pair.Key} {pair.Value}"))}");
        // The moves are events an operator can read from any node (asked of the coordinator's node).
        var events = await Node("node3").Http.GetStringAsync("/v1/placement/events?limit=500");
        Assert.Contains("add learner", events, StringComparison.Ordinal);
        Assert.Contains($"\"coordinator\":\"{grown.Coordinator}\"", events, StringComparison.Ordinal);
        // node4's own replicas match the placement (those it gave up were stopped and deleted elsewhere).
        await AwaitAsync(async () =>
        {
            var counts = (await AwaitPlacementAsync("node1", view => view.Settled(3, Four), "settled")).Shards.SelectMany(shard => shard.Voters).GroupBy(node => node).ToDictionary(group => group.Key, group => group.Count());
            foreach (var name in Four)
            {
                var document = await Node(name).Http.GetStringAsync("/v1/node");
                if (!document.Contains($"\"shards\":{counts.GetValueOrDefault(name)},", StringComparison.Ordinal))
                {
                    return false;
                }
            }
            return true;
        }, "each node runs exactly the replicas placed on it");

        using (var leave = await Node("node1").Http.PostAsync("/v1/cluster/members/node4/leave", null))
        {
            Assert.Equal(HttpStatusCode.Accepted, leave.StatusCode);
        }
        await ((InProcessNode)node4).Stopped.WaitAsync(Deadline);
        Step("node4 drained, left and stopped");
        var shrunk = await AwaitPlacementAsync("node1", view => view.Settled(3, Three), "every shard back on node1-3");
        Assert.DoesNotContain(shrunk.AllGroups, shard => shard.Replicas.Any(replica => replica.Node == "node4"));
        await Task.Delay(2000); // allowed: clients keep running a little after the leave
        await stop.CancelAsync();
        await Task.WhenAll(clients);

        AssertLinearizable(history);
        Assert.True(history.Count(op => op.Status == KvOperationStatus.Ok && op.Kind == KvOperationKind.Put) > 20, "too few writes succeeded to mean anything");
    });

    [Fact]
    public Task A_node_cut_off_while_its_replicas_are_replaced_rejoins_the_placement_and_the_history_stays_linearizable() => RunSpecAsync(async () =>
    {
        // The resolver waits a minute before downing, so the cut-off node stays a member (unreachable); its replicas
        // are replaced after 5 s — configuration changes it misses while cut off. Its replicas not placed again are
        // stopped and deleted 5 s after it hears the new configuration.
        await StartClusterAsync(Four, "akkakv.sharding.replace-down-after=5s", "akkakv.sharding.removed-replica-grace=5s", "akkakv.cluster.split-brain-resolver.stable-after=60s");
        var history = new ConcurrentQueue<KvOperation>();
        var clock = Stopwatch.StartNew();
        using var stop = new CancellationTokenSource();
        var clients = Enumerable.Range(0, 3).Select(client => Task.Run(() => RunClientAsync(client, Three, history, clock, stop.Token))).ToList();

        await PartitionAsync(Three, ["node4"]);
        var replaced = await AwaitPlacementAsync("node1", view => view.Settled(3, Three), "node4's replicas replaced on node1-3");
        Step($"node4's replicas replaced while it was cut off (configuration {replaced.Configuration})");
        await HealAsync();
        var back = await AwaitPlacementAsync("node1", view => view.Settled(3, Four) && view.Balanced(Four), "replicas back on node4, balanced");
        Step($"node4 holds replicas again (configuration {back.Configuration})");
        await AwaitAsync(async () =>
        {
            var placed = back.Shards.Count(shard => shard.Voters.Contains("node4"));
            return (await Node("node4").Http.GetStringAsync("/v1/node")).Contains($"\"shards\":{placed},", StringComparison.Ordinal);
        }, "node4 runs exactly the replicas placed on it");
        await stop.CancelAsync();
        await Task.WhenAll(clients);

        // node4's own replicas have caught up: its serializable reads see every key's last value.
        foreach (var key in Enumerable.Range(0, 5).Select(i => $"lin-{i}"))
        {
            using var latest = await Node("node1").Http.GetAsync($"/v1/kv/{key}");
            var expected = latest.StatusCode == HttpStatusCode.OK ? await latest.Content.ReadAsStringAsync() : null;
            await AwaitAsync(async () =>
            {
                using var local = await Node("node4").Http.GetAsync($"/v1/kv/{key}?consistency=serializable");
                return expected is null ? local.StatusCode == HttpStatusCode.NotFound : local.StatusCode == HttpStatusCode.OK && await local.Content.ReadAsStringAsync() == expected;
            }, $"node4 serves the last value of {key}");
        }
        AssertLinearizable(history);
    });

    [Fact]
    public Task A_joining_node_receives_its_replicas_by_snapshot_and_serves_every_key_from_them() => RunSpecAsync(async () =>
    {
        // Snapshots every 20 entries and no log kept behind them: a new replica can only catch up by snapshot install.
        await StartClusterAsync(Three, "akkakv.sharding.snapshot-every-entries=20", "akkakv.raft.compaction-lag-entries=0");
        for (var i = 0; i < 400; i++)
        {
            using var put = await Node(Three[i % 3]).Http.PutAsync($"/v1/kv/snap-{i}", new StringContent($"value-{i}"));
            Assert.Equal(HttpStatusCode.OK, put.StatusCode);
        }
        // Clients keep writing while the snapshots are taken and installed.
        var history = new ConcurrentQueue<KvOperation>();
        var clock = Stopwatch.StartNew();
        using var stop = new CancellationTokenSource();
        var clients = Enumerable.Range(0, 3).Select(client => Task.Run(() => RunClientAsync(client, Three, history, clock, stop.Token))).ToList();
        var node4 = DeclareNode("node4", NodeMode.InProcess, ClusterName, Seeds, [.. Settings, "akkakv.sharding.snapshot-every-entries=20", "akkakv.raft.compaction-lag-entries=0"]);
        await node4.StartAsync();
        var placement = await AwaitPlacementAsync("node1", view => view.Settled(3, Four) && view.Balanced(Four), "rebalanced onto node4");
        await stop.CancelAsync();
        await Task.WhenAll(clients);
        AssertLinearizable(history);
        var held = placement.Shards.Where(shard => shard.Voters.Contains("node4")).Select(shard => shard.Id).ToHashSet();
        Step($"node4 holds shards [{string.Join(',', held.Order())}]");
        var snapshots = Directory.EnumerateFiles(Path.Combine(DataDirectoryOf("node4"), "snapshots"), "*", SearchOption.AllDirectories).ToList();
        Assert.True(snapshots.Count >= held.Count, $"node4 has {snapshots.Count} snapshot files for {held.Count} replicas");
        var partitioner = new ShardPartitioner(ShardCount);
        foreach (var i in Enumerable.Range(0, 400).Where(i => held.Contains(partitioner.ShardOf($"snap-{i}").Value)))
        {
            using var local = await node4.Http.GetAsync($"/v1/kv/snap-{i}?consistency=serializable");
            Assert.Equal(HttpStatusCode.OK, local.StatusCode);
            Assert.Equal($"value-{i}", await local.Content.ReadAsStringAsync());
        }

        // Drained again, node 4's replicas move off and delete their data: its snapshots are gone when it has left.
        static long SnapshotBytes(string directory) =>
            Directory.EnumerateFiles(Path.Combine(directory, "snapshots"), "*", SearchOption.AllDirectories).Sum(file => new FileInfo(file).Length);
        var before = SnapshotBytes(DataDirectoryOf("node4"));
        using (var leave = await Node("node1").Http.PostAsync("/v1/cluster/members/node4/leave", null))
        {
            Assert.Equal(HttpStatusCode.Accepted, leave.StatusCode);
        }
        await ((InProcessNode)node4).Stopped.WaitAsync(Deadline);
        var after = SnapshotBytes(DataDirectoryOf("node4"));
        Step($"node4's snapshots: {before} bytes while it held {held.Count} replicas, {after} after it was drained and left");
        Assert.True(before > 0);
        Assert.Equal(0, after);
    });

    [Fact]
    public Task A_move_cut_short_by_its_target_crashing_loses_nothing_and_the_shards_settle_back() => RunSpecAsync(async () =>
    {
        await StartClusterAsync(Three, "akkakv.sharding.replace-down-after=3s");
        for (var i = 0; i < 200; i++)
        {
            using var put = await Node(Three[i % 3]).Http.PutAsync($"/v1/kv/move-{i}", new StringContent($"value-{i}"));
            Assert.Equal(HttpStatusCode.OK, put.StatusCode);
        }
        var history = new ConcurrentQueue<KvOperation>();
        var clock = Stopwatch.StartNew();
        using var stop = new CancellationTokenSource();
        var clients = Enumerable.Range(0, 3).Select(client => Task.Run(() => RunClientAsync(client, Three, history, clock, stop.Token))).ToList();

        var node4 = DeclareNode("node4", NodeMode.InProcess, ClusterName, Seeds, [.. Settings, "akkakv.sharding.replace-down-after=3s"]);
        await node4.StartAsync();
        var partial = await AwaitPlacementAsync("node1", view => view.AllGroups.Any(shard => shard.Replicas.Any(replica => replica.Node == "node4")), "a first replica placed on node4");
        await node4.KillAsync();
        Step($"node4 stopped in the middle of the rebalance (configuration {partial.Configuration}: {partial.ReplicaCounts.GetValueOrDefault("node4")} replicas on node4, learners {partial.AllGroups.Sum(shard => shard.Learners.Count)})");

        // Nothing is lost: every key reads its value through any remaining node, and the shards settle back on node1-3.
        foreach (var i in Enumerable.Range(0, 200))
        {
            await AwaitAsync(async () =>
            {
                using var read = await Node(Three[i % 3]).Http.GetAsync($"/v1/kv/move-{i}");
                return read.StatusCode == HttpStatusCode.OK && await read.Content.ReadAsStringAsync() == $"value-{i}";
            }, $"move-{i} readable");
        }
        var settled = await AwaitPlacementAsync("node1", view => view.Settled(3, Three) && !view.AllGroups.Any(shard => shard.Replicas.Any(replica => replica.Node == "node4")), "every shard back on node1-3 only");
        Step($"settled back at configuration {settled.Configuration}");
        await stop.CancelAsync();
        await Task.WhenAll(clients);
        AssertLinearizable(history);
    });

    [Fact]
    public Task Replicas_move_onto_a_node_behind_slow_and_throttled_links_and_the_history_stays_linearizable() => RunSpecAsync(async () =>
    {
        await StartClusterAsync(Three);
        for (var i = 0; i < 100; i++)
        {
            using var put = await Node(Three[i % 3]).Http.PutAsync($"/v1/kv/slow-{i}", new StringContent($"value-{i}"));
            Assert.Equal(HttpStatusCode.OK, put.StatusCode);
        }
        var history = new ConcurrentQueue<KvOperation>();
        var clock = Stopwatch.StartNew();
        using var stop = new CancellationTokenSource();
        var clients = Enumerable.Range(0, 3).Select(client => Task.Run(() => RunClientAsync(client, Three, history, clock, stop.Token))).ToList();

        var node4 = DeclareNode("node4", NodeMode.InProcess, ClusterName, Seeds, Settings);
        await node4.StartAsync();
        await AwaitViewsAsync(Four, view => view.Up.SequenceEqual(Four), "node4 Up");
        // While its replicas arrive: node1's frames to node4 throttled to 256 KiB/s, node2's and node3's delayed 40 ms,
        // and node4's own frames to each delayed 40 ms.
        await Node("node1").SetFaultAsync("node4", "throttle", "send", bytesPerSecond: 256 * 1024);
        foreach (var name in new[] { "node2", "node3" })
        {
            await Node(name).SetFaultAsync("node4", "delay", "send", delayMs: 40);
        }
        foreach (var name in Three)
        {
            await node4.SetFaultAsync(name, "delay", "send", delayMs: 40);
        }
        Step("links to and from node4 slowed");
        var grown = await AwaitPlacementAsync("node1", view => view.Settled(3, Four) && view.Balanced(Four), "rebalanced onto node4 over slow links");
        Step($"rebalanced onto node4 at configuration {grown.Configuration}");
        await HealAsync();
        await stop.CancelAsync();
        await Task.WhenAll(clients);
        for (var i = 0; i < 100; i++)
        {
            Assert.Equal($"value-{i}", await node4.Http.GetStringAsync($"/v1/kv/slow-{i}"));
        }
        AssertLinearizable(history);
    });

    [Fact]
    public Task Idle_shards_quiesce_wake_for_requests_and_fail_over_when_a_node_dies_while_they_sleep() => RunSpecAsync(async () =>
    {
        var placement = await StartClusterAsync(Three, "akkakv.sharding.replace-down-after=10m");
        var keys = KeyPerShard();
        foreach (var (shard, key) in keys)
        {
            using var put = await Node("node1").Http.PutAsync($"/v1/kv/{key}", new StringContent($"before-{shard}"));
            Assert.Equal(HttpStatusCode.OK, put.StatusCode);
        }
        await AwaitQuiescentAsync(Three);

        // A read and a write wake a sleeping shard and are answered.
        var (firstShard, firstKey) = keys.First();
        Assert.Equal($"before-{firstShard}", await Node("node2").Http.GetStringAsync($"/v1/kv/{firstKey}"));
        using (var wake = await Node("node3").Http.PutAsync($"/v1/kv/{firstKey}", new StringContent("woken")))
        {
            Assert.Equal(HttpStatusCode.OK, wake.StatusCode);
        }
        Assert.Equal("woken", await Node("node1").Http.GetStringAsync($"/v1/kv/{firstKey}"));
        await AwaitQuiescentAsync(Three);

        // The node leading the most shards dies while every shard sleeps: the survivors' membership wakes their
        // replicas, and the shards it led elect new leaders among them.
        var victim = Three.Where(name => name != "node1").OrderByDescending(name => placement.LeaderCounts.GetValueOrDefault(name)).First();
        var survivors = Three.Where(name => name != victim).ToArray();
        var led = placement.Shards.Where(shard => shard.Leader == victim).Select(shard => shard.Id).ToList();
        Step($"{victim} leads shards [{string.Join(',', led)}]; killing it while all shards sleep");
        var clock = Stopwatch.StartNew();
        await Node(victim).KillAsync();
        await AwaitAsync(async () =>
        {
            using var shards = await Node(survivors[0]).Http.GetAsync("/v1/shards");
            var view = shards.IsSuccessStatusCode
                ? await shards.Content.ReadFromJsonAsync<PlacementView>(new System.Text.Json.JsonSerializerOptions(System.Text.Json.JsonSerializerDefaults.Web))
                : null;
            return view is not null && view.Shards.All(shard => shard.Leader is not null && shard.Leader != victim);
        }, $"every shard led by a survivor after {victim} died");
        Step($"every shard had a leader on a survivor {clock.Elapsed.TotalSeconds:F1} s after {victim} died (no client traffic)");
        foreach (var (shard, key) in keys)
        {
            var expected = key == firstKey ? "woken" : $"before-{shard}";
            Assert.Equal(expected, await Node(survivors[0]).Http.GetStringAsync($"/v1/kv/{key}"));
            using var put = await Node(survivors[1]).Http.PutAsync($"/v1/kv/{key}", new StringContent($"after-{shard}"));
            Assert.Equal(HttpStatusCode.OK, put.StatusCode);
        }
    });

    /// <summary>Waits until every shard replica on <paramref name="names"/> is quiescent (idle groups stop heartbeating).</summary>
    private async Task AwaitQuiescentAsync(string[] names)
    {
        var clock = Stopwatch.StartNew();
        await AwaitAsync(async () =>
        {
            foreach (var name in names)
            {
                using var node = await Node(name).Http.GetAsync("/v1/node");
                var status = await node.Content.ReadFromJsonAsync<System.Text.Json.JsonElement>();
                if (status.GetProperty("quiescentShards").GetInt32() != status.GetProperty("shards").GetInt32())
                {
                    return false;
                }
            }
            return true;
        }, "every shard replica quiescent");
        Step($"every shard replica on {string.Join(", ", names)} quiescent after {clock.Elapsed.TotalSeconds:F1} s");
    }

    /// <summary>Checks the clients' history, writing its size and the verdict to the output.</summary>
    private void AssertLinearizable(IEnumerable<KvOperation> history)
    {
        var operations = history.ToList();
        var result = LinearizabilityChecker.Check(operations);
        Step($"{operations.Count} operations ({operations.Count(op => op.Status == KvOperationStatus.Ok)} ok, {operations.Count(op => op.Status == KvOperationStatus.Info)} unknown): {result}");
        Assert.True(result.IsLinearizable, result.ToString());
    }

    /// <summary>One client: random puts (unique values), gets and compare-and-swaps on five keys through random nodes.</summary>
    private async Task RunClientAsync(int client, string[] entryPoints, ConcurrentQueue<KvOperation> history, Stopwatch clock, CancellationToken stop, List<string>? keys = null)
    {
        var random = new Random(client);
        for (var n = 0; !stop.IsCancellationRequested; n++)
        {
            var key = keys is null ? $"lin-{random.Next(5)}" : keys[random.Next(keys.Count)];
            var http = Node(entryPoints[random.Next(entryPoints.Length)]).Http;
            var call = clock.Elapsed.TotalSeconds;
            var value = $"c{client}-{n}";
            switch (random.Next(3))
            {
                case 0:
                    var (putStatus, _) = await SendAsync(http, HttpMethod.Put, key, value, null);
                    history.Enqueue(new KvOperation(client, KvOperationKind.Put, key, value, call, clock.Elapsed.TotalSeconds, putStatus));
                    break;
                case 1:
                    var (getStatus, read) = await SendAsync(http, HttpMethod.Get, key, null, null);
                    if (getStatus == KvOperationStatus.Ok)
                    {
                        history.Enqueue(new KvOperation(client, KvOperationKind.Get, key, read.Value, call, clock.Elapsed.TotalSeconds, KvOperationStatus.Ok));
                    }
                    break;
                default:
                    // Compare-and-swap on the version just read; values are unique, so a version matches exactly when the value does.
                    var (seenStatus, seen) = await SendAsync(http, HttpMethod.Get, key, null, null);
                    if (seenStatus != KvOperationStatus.Ok || seen.ETag is null)
                    {
                        break;
                    }
                    call = clock.Elapsed.TotalSeconds;
                    var (casStatus, cas) = await SendAsync(http, HttpMethod.Put, key, value, seen.ETag);
                    history.Enqueue(new KvOperation(client, KvOperationKind.CompareAndSwap, key, value, call, clock.Elapsed.TotalSeconds,
                        casStatus, Expected: seen.Value, Swapped: casStatus == KvOperationStatus.Ok && !cas.PreconditionFailed));
                    break;
            }
        }
    }

    private readonly record struct Answer(string? Value, string? ETag, bool PreconditionFailed);

    /// <summary>One request: ok (with the value or a failed precondition), certainly not applied (503, 404 on a get is ok), or unknown.</summary>
    private static async Task<(KvOperationStatus Status, Answer Answer)> SendAsync(HttpClient http, HttpMethod method, string key, string? value, string? ifMatch)
    {
        using var request = new HttpRequestMessage(method, $"/v1/kv/{key}");
        if (value is not null)
        {
            request.Content = new StringContent(value);
        }
        if (ifMatch is not null)
        {
            request.Headers.TryAddWithoutValidation("If-Match", ifMatch);
        }
        request.Headers.TryAddWithoutValidation("Idempotency-Key", Guid.NewGuid().ToString("N"));
        try
        {
            using var response = await http.SendAsync(request);
            return response.StatusCode switch
            {
                HttpStatusCode.OK when method == HttpMethod.Get => (KvOperationStatus.Ok, new Answer(await response.Content.ReadAsStringAsync(), response.Headers.ETag?.Tag, false)),
                HttpStatusCode.OK => (KvOperationStatus.Ok, default),
                HttpStatusCode.NotFound when method == HttpMethod.Get => (KvOperationStatus.Ok, default),
                HttpStatusCode.PreconditionFailed => (KvOperationStatus.Ok, new Answer(null, null, true)),
                HttpStatusCode.ServiceUnavailable => (KvOperationStatus.Fail, default),
                _ => (KvOperationStatus.Info, default),
            };
        }
        catch (Exception error) when (error is HttpRequestException or TaskCanceledException)
        {
            return (KvOperationStatus.Info, default);
        }
    }

    private static async Task AwaitAsync(Func<Task<bool>> condition, string what)
    {
        var deadline = DateTime.UtcNow + Deadline;
        while (!await condition())
        {
            Assert.True(DateTime.UtcNow < deadline, $"not within {Deadline.TotalSeconds:0} s: {what}");
            await Task.Delay(200); // allowed: polling a condition with a deadline
        }
    }
}
