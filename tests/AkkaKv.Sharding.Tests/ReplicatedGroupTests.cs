using System.Text;
using Akka.Actor;
using AkkaKv.Raft;
using AkkaKv.Sharding.Hosting;
using AkkaKv.Store;

namespace AkkaKv.Sharding.Tests;

/// <summary>
/// The classic replicated key-value scenarios on in-process groups of 3 and 5 real <see cref="ShardReplicaHost"/>
/// actors (Akka.NET), each replica with its own WAL: basic replication, concurrent clients, an unreliable network with
/// retries (appends exactly once, in per-client order), a leader cut into a minority, continuous random partitions, a
/// full-group crash, bounded logs, snapshot catch-up, and idempotency across snapshots. Method: real time, a fast tick
/// (20 ms), clients that retry with the same idempotency key, and assertions awaited with deadlines. The scenarios
/// with random faults run over fixed seeds; a failure names its seed (<c>AKKAKV_SEED=n</c>) to replay its fault
/// choices.
/// </summary>
public sealed class ReplicatedGroupTests(ITestOutputHelper output) : Akka.TestKit.Xunit2.TestKit("akka.loglevel = WARNING", output)
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(20);

    /// <summary>The seed of the scenarios without random faults (their clients still pick replicas at random on a retry).</summary>
    private const int FixedSeed = 1;

    private ReplicatedGroup Group(int size, int seed = FixedSeed, RaftGroupOptions? options = null)
    {
        var group = new ReplicatedGroup(Sys, size, seed, options);
        Output?.WriteLine($"{group.Context} ({size} replicas)");
        return group;
    }

    private static KvAppend Append(string key, string value, string idempotencyKey) =>
        new(key, Encoding.UTF8.GetBytes(value), KvCondition.None, idempotencyKey);

    private static KvPut Put(string key, string value, string? idempotencyKey = null) =>
        new(key, Encoding.UTF8.GetBytes(value), KvCondition.None, idempotencyKey);

    private async Task<NodeId> AwaitLeader(ReplicatedGroup group)
    {
        NodeId? leader = null;
        await AwaitAssertAsync(async () => Assert.True((leader = await group.LeaderAsync()) is not null, $"no leader yet ({group.Context})"), Patience);
        return leader!.Value;
    }

    /// <summary>Every live replica has applied the same state: <paramref name="key"/> reads <paramref name="expected"/> locally everywhere.</summary>
    private Task AwaitReplicated(ReplicatedGroup group, string key, string expected, IEnumerable<NodeId>? on = null) =>
        AwaitAssertAsync(async () =>
        {
            foreach (var id in on ?? group.Ids)
            {
                var reply = await group.TryAskAsync(id, new ReadRequest(key, ReadConsistency.Serializable), TimeSpan.FromSeconds(1));
                var value = Assert.IsType<ReadReply>(reply).Value;
                Assert.Equal(expected, value is null ? null : Encoding.UTF8.GetString(value.Value.Span));
            }
        }, Patience);

    /// <summary>Each client's appends appear exactly once, in that client's order; a failure names the seed.</summary>
    private static void AssertExactlyOnceInOrder(string value, int clients, int perClient, ReplicatedGroup group)
    {
        var items = value.Split(';', StringSplitOptions.RemoveEmptyEntries);
        Assert.True(items.Length == clients * perClient, $"{items.Length} appends in the log, expected {clients * perClient} ({group.Context})");
        var repeated = items.GroupBy(item => item, StringComparer.Ordinal).Where(same => same.Count() > 1).Select(same => same.Key).ToList();
        Assert.True(repeated.Count == 0, $"applied more than once: {string.Join(", ", repeated)} ({group.Context})");
        for (var client = 0; client < clients; client++)
        {
            var mine = items.Where(item => item.StartsWith($"c{client}-", StringComparison.Ordinal)).Select(item => int.Parse(item[(item.IndexOf('-') + 1)..], System.Globalization.CultureInfo.InvariantCulture)).ToList();
            Assert.True(mine.SequenceEqual(Enumerable.Range(0, perClient)), $"client {client}'s appends in log order: {string.Join(",", mine)} ({group.Context})");
        }
    }

    private static Task RunClients(ReplicatedGroup group, string key, int clients, int perClient) =>
        Task.WhenAll(Enumerable.Range(0, clients).Select(async client =>
        {
            for (var i = 0; i < perClient; i++)
            {
                var result = await group.WriteAsync(Append(key, $"c{client}-{i};", $"client{client}:{i}"), Patience);
                Assert.True(result is KvResult.Written, $"client {client}'s append {i}: {result?.ToString() ?? "no answer"} ({group.Context})");
            }
        }));

    [Theory]
    [InlineData(3)]
    [InlineData(5)]
    public async Task Basic_a_write_through_the_leader_is_applied_on_every_replica(int size)
    {
        await using var group = Group(size);
        await AwaitLeader(group);
        Assert.IsType<KvResult.Written>(await group.WriteAsync(Put("k", "v1"), Patience));
        await AwaitReplicated(group, "k", "v1");
        Assert.Equal("v1", await group.ReadAsync("k", Patience));
    }

    [Theory]
    [InlineData(3)]
    [InlineData(5)]
    public async Task Concurrent_clients_each_appends_lands_once_in_client_order(int size)
    {
        await using var group = Group(size);
        await AwaitLeader(group);
        await RunClients(group, "log", clients: 8, perClient: 20);
        AssertExactlyOnceInOrder((await group.ReadAsync("log", Patience))!, 8, 20, group);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public async Task An_unreliable_network_with_retries_still_gives_exactly_once_appends_in_client_order(int seed)
    {
        await using var group = Group(3, seed);
        await AwaitLeader(group);
        group.LoseMessages(0.2);
        await RunClients(group, "log", clients: 4, perClient: 15);
        group.Heal();
        AssertExactlyOnceInOrder((await group.ReadAsync("log", Patience))!, 4, 15, group);
    }

    [Theory]
    [InlineData(3)]
    [InlineData(5)]
    public async Task A_leader_cut_into_a_minority_completes_nothing_and_serves_no_stale_read_after_healing(int size)
    {
        await using var group = Group(size);
        var oldLeader = await AwaitLeader(group);
        Assert.IsType<KvResult.Written>(await group.WriteAsync(Put("k", "before"), Patience));
        group.Isolate(oldLeader);

        // The minority cannot commit: the write is not answered with success (it times out or is refused).
        var minorityWrite = await group.TryAskAsync(oldLeader, new WriteRequest(Put("k", "minority", "m:1")), TimeSpan.FromMilliseconds(600));
        Assert.IsNotType<WriteReply>(minorityWrite);
        var minorityRead = await group.TryAskAsync(oldLeader, new ReadRequest("k"), TimeSpan.FromMilliseconds(600));
        Assert.IsNotType<ReadReply>(minorityRead);

        // The majority elects a new leader and moves on.
        await AwaitAssertAsync(async () =>
        {
            var newLeader = await group.LeaderAsync();
            Assert.NotNull(newLeader);
            Assert.NotEqual(oldLeader, newLeader);
        }, Patience);
        Assert.IsType<KvResult.Written>(await group.WriteAsync(Put("k", "after"), Patience));

        group.Heal();
        // Asked directly, the old leader (now a follower) must not return the stale value.
        Assert.Equal("after", await group.ReadAsync("k", Patience, at: oldLeader));
        // The minority write was never acknowledged; whether it was applied later is allowed either way, but
        // only once and only after "after" if at all — here it can only have been dropped (its term ended).
        await AwaitReplicated(group, "k", "after");
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public async Task Continuous_random_partitions_lose_no_acknowledged_write(int seed)
    {
        await using var group = Group(5, seed);
        await AwaitLeader(group);
        using var stop = new CancellationTokenSource();
        var partitions = new Random(seed); // the fault injector's own stream: its choices do not depend on the clients'
        var chaos = Task.Run(async () =>
        {
            var ids = group.Ids.ToList();
            while (!stop.IsCancellationRequested)
            {
                group.Heal();
                var victim = ids[partitions.Next(ids.Count)];
                group.Isolate(victim, [.. ids.Where(_ => partitions.Next(2) == 0)]);
                await Task.Delay(150, CancellationToken.None); // allowed: the pace of the fault injector, not a wait for an outcome
            }
        });
        await RunClients(group, "log", clients: 4, perClient: 40);
        await stop.CancelAsync();
        await chaos;
        group.Heal();
        AssertExactlyOnceInOrder((await group.ReadAsync("log", Patience))!, 4, 40, group);
    }

    [Fact]
    public async Task After_a_full_group_crash_every_replica_recovers_its_state_from_its_wal()
    {
        await using var group = Group(3);
        await AwaitLeader(group);
        await RunClients(group, "log", clients: 3, perClient: 10);
        foreach (var id in group.Ids.ToList())
        {
            await group.CrashAsync(id);
        }
        foreach (var id in group.Ids.ToList())
        {
            group.Restart(id);
        }
        await AwaitLeader(group);
        AssertExactlyOnceInOrder((await group.ReadAsync("log", Patience))!, 3, 10, group);
    }

    [Fact]
    public async Task Snapshots_keep_every_replicas_log_bounded()
    {
        var options = FastOptions() with { SnapshotEveryEntries = 20, CompactionLagEntries = 5 };
        await using var group = Group(3, options: options);
        await AwaitLeader(group);
        for (var i = 0; i < 200; i++)
        {
            Assert.IsType<KvResult.Written>(await group.WriteAsync(Put($"k{i % 10}", $"v{i}"), Patience));
        }
        await AwaitAssertAsync(() =>
        {
            foreach (var id in group.Ids)
            {
                var bounds = group.WalOf(id).Bounds(ReplicatedGroup.Shard);
                Assert.True(bounds.Last.Value - bounds.Compacted.Value <= 20 + 5 + 5, $"{id} keeps {bounds.Compacted}..{bounds.Last}");
            }
        }, Patience);
    }

    [Fact]
    public async Task A_lagging_replica_catches_up_by_install_snapshot()
    {
        var options = FastOptions() with { SnapshotEveryEntries = 10, CompactionLagEntries = 0, Raft = FastOptions().Raft with { SnapshotChunkBytes = 256 } };
        await using var group = Group(3, options: options);
        await AwaitLeader(group);
        var lagging = group.Ids.Last();
        group.Isolate(lagging);
        for (var i = 0; i < 60; i++)
        {
            Assert.IsType<KvResult.Written>(await group.WriteAsync(Put($"k{i % 7}", $"v{i}"), Patience));
        }
        var leader = await AwaitLeader(group);
        await AwaitAssertAsync(() => Assert.True(group.WalOf(leader).Bounds(ReplicatedGroup.Shard).Compacted > new LogIndex(10)), Patience);
        var behind = (await group.StatusAsync(leader))!;
        Assert.False(behind.HasCaughtUp(lagging, maxLag: 10), "the leader reports the cut-off replica as behind");
        group.Heal();
        await AwaitReplicated(group, "k4", "v53", [lagging]); // the last write to k4 (i = 53)
        var status = (await group.StatusAsync(lagging))!;
        Assert.True(status.SnapshotIndex > LogIndex.Zero, "the lagging replica restored a snapshot");
        await AwaitAssertAsync(async () =>
        {
            var current = await group.LeaderAsync();
            Assert.NotNull(current);
            Assert.True((await group.StatusAsync(current.Value))!.HasCaughtUp(lagging, maxLag: 0), "the leader sees the replica caught up");
        }, Patience);
    }

    [Fact]
    public void A_learner_has_not_caught_up_before_it_holds_the_entry_that_added_it()
    {
        // A short log: within any lag of the commit index, yet the learner added at index 5 holds nothing.
        static ShardStatus Leader(ulong learnerMatch) => new(ReplicatedGroup.Shard, new NodeId(1), RaftRole.Leader, new Term(2), new NodeId(1),
            new LogIndex(6), new LogIndex(6), LogIndex.Zero, 0, 0, new ConfState([new NodeId(1)], [new NodeId(2)]) { Index = new LogIndex(5) })
        {
            Replicated = new Dictionary<NodeId, LogIndex> { [new NodeId(1)] = new(6), [new NodeId(2)] = new(learnerMatch) },
        };
        Assert.False(Leader(0).HasCaughtUp(new NodeId(2), maxLag: 100));
        Assert.False(Leader(4).HasCaughtUp(new NodeId(2), maxLag: 100));
        Assert.True(Leader(5).HasCaughtUp(new NodeId(2), maxLag: 100));
        Assert.False(Leader(5).HasCaughtUp(new NodeId(2), maxLag: 0));
        Assert.False(Leader(6).HasCaughtUp(new NodeId(3), maxLag: 100)); // not a member
    }

    [Fact]
    public async Task A_replica_removed_from_its_group_serves_no_more_reads_of_any_consistency()
    {
        await using var group = Group(3, options: FastOptions());
        var leader = await AwaitLeader(group);
        Assert.IsType<KvResult.Written>(await group.WriteAsync(Put("k", "before"), Patience));
        var removed = group.Ids.First(id => id != leader);
        await AwaitReplicated(group, "k", "before", [removed]);
        var change = await group.ActorOf(leader).Ask<ShardReply>(new ChangeMembership(new ConfChange(ConfChangeKind.RemoveNode, removed)), Patience);
        Assert.IsType<AdminAccepted>(change);
        Assert.IsType<KvResult.Written>(await group.WriteAsync(Put("k", "after"), Patience));
        // The removed replica learns its removal (the entry commits with it still a member) and then refuses; it would
        // otherwise serve "before" forever.
        await AwaitAssertAsync(async () =>
        {
            foreach (var consistency in new[] { ReadConsistency.Serializable, ReadConsistency.Eventual })
            {
                var reply = await group.ActorOf(removed).Ask<ShardReply>(new ReadRequest("k", consistency), TimeSpan.FromSeconds(1));
                Assert.Contains("was removed", Assert.IsType<ShardUnavailable>(reply).Reason, StringComparison.Ordinal);
                var scan = await group.ActorOf(removed).Ask<ShardReply>(new ScanRequest("", 10, consistency), TimeSpan.FromSeconds(1));
                Assert.Contains("was removed", Assert.IsType<ShardUnavailable>(scan).Reason, StringComparison.Ordinal);
            }
            var linearizable = await group.ActorOf(removed).Ask<ShardReply>(new ScanRequest("", 10), TimeSpan.FromSeconds(1));
            Assert.Contains("was removed", Assert.IsType<ShardUnavailable>(linearizable).Reason, StringComparison.Ordinal);
        }, Patience);
    }

    /// <summary>Routes to the group's replicas in a fixed order, <paramref name="first"/> first (as a stale routing cache would).</summary>
    private sealed class GroupLocator(ReplicatedGroup group, NodeId first) : IShardLocator
    {
        public IReadOnlyList<NodeId> ReplicasOf(ShardId shard) => [first, .. group.Ids.Where(id => id != first)];

        public Task<ShardReply?> AskAsync(ShardId shard, NodeId node, ShardRequest request, TimeSpan timeout, CancellationToken cancellationToken) =>
            group.TryAskAsync(node, request, timeout);
    }

    [Fact]
    public async Task A_linearizable_scan_is_not_answered_by_a_follower_cut_off_from_a_newer_write()
    {
        await using var group = Group(3, options: FastOptions());
        var leader = await AwaitLeader(group);
        Assert.IsType<KvResult.Written>(await group.WriteAsync(Put("scan/k", "before"), Patience));
        var cutOff = group.Ids.First(id => id != leader);
        await AwaitReplicated(group, "scan/k", "before", [cutOff]);
        group.Isolate(cutOff);
        Assert.IsType<KvResult.Written>(await group.WriteAsync(Put("scan/new", "after"), Patience));

        // The cut-off follower is asked first; a linearizable scan must still see the newer key (from the leader).
        var region = new ShardRegion(new GroupLocator(group, cutOff), new ShardRegionOptions { LocalNode = cutOff, RequestTimeout = TimeSpan.FromSeconds(2), MaxAttempts = 6 });
        var linearizable = Assert.IsType<ScanReply>(await region.SendAsync(ReplicatedGroup.Shard, new ScanRequest("scan/", 10)));
        Assert.Equal(["scan/k", "scan/new"], linearizable.Keys.Select(key => key.Key));
        Assert.NotEqual(cutOff, region.CachedLeader(ReplicatedGroup.Shard));
        // A serializable scan may come from the local (cut-off) replica: it has only what it had.
        var serializable = Assert.IsType<ScanReply>(await region.SendAsync(ReplicatedGroup.Shard, new ScanRequest("scan/", 10, ReadConsistency.Serializable)));
        Assert.Equal(["scan/k"], serializable.Keys.Select(key => key.Key));
    }

    [Fact]
    public async Task A_replica_that_missed_a_membership_change_refuses_relaxed_reads_routed_by_the_newer_configuration()
    {
        await using var group = Group(3, options: FastOptions());
        var leader = await AwaitLeader(group);
        Assert.IsType<KvResult.Written>(await group.WriteAsync(Put("k", "before"), Patience));
        var behind = group.Ids.First(id => id != leader);
        var removed = group.Ids.First(id => id != leader && id != behind);
        await AwaitReplicated(group, "k", "before", [behind, removed]);
        var before = (await group.StatusAsync(leader))!.Conf.Index;
        Assert.True(before > LogIndex.Zero, "a bootstrapped group has an epoch");

        group.Isolate(behind);
        Assert.IsType<AdminAccepted>(await group.ActorOf(leader).Ask<ShardReply>(new ChangeMembership(new ConfChange(ConfChangeKind.RemoveNode, removed)), Patience));
        var after = (await group.StatusAsync(leader))!.Conf.Index;
        Assert.True(after > before, $"the change raised the epoch ({before} -> {after})");

        // The cut-off replica still has the old configuration: routed by it, it answers; routed by the new one, it refuses.
        var old = await group.ActorOf(behind).Ask<ShardReply>(new ReadRequest("k", ReadConsistency.Serializable) { MinEpoch = before }, Patience);
        Assert.Equal("before", Encoding.UTF8.GetString(Assert.IsType<ReadReply>(old).Value!.Value.Span));
        foreach (var consistency in new[] { ReadConsistency.Serializable, ReadConsistency.Eventual })
        {
            var refused = await group.ActorOf(behind).Ask<ShardReply>(new ReadRequest("k", consistency) { MinEpoch = after }, Patience);
            Assert.Contains("older than", Assert.IsType<ShardUnavailable>(refused).Reason, StringComparison.Ordinal);
        }

        group.Heal();
        Assert.IsType<KvResult.Written>(await group.WriteAsync(Put("k", "after"), Patience)); // needs both remaining voters
        await AwaitAssertAsync(async () =>
        {
            var reply = await group.ActorOf(behind).Ask<ShardReply>(new ReadRequest("k", ReadConsistency.Serializable) { MinEpoch = after }, TimeSpan.FromSeconds(1));
            Assert.Equal("after", Encoding.UTF8.GetString(Assert.IsType<ReadReply>(reply).Value!.Value.Span));
        }, Patience);
        Assert.Equal(after, (await group.StatusAsync(behind))!.Conf.Index);
    }

    [Fact]
    public async Task The_idempotency_table_survives_snapshots_and_restarts()
    {
        var options = FastOptions() with { SnapshotEveryEntries = 5, CompactionLagEntries = 0 };
        await using var group = Group(3, options: options);
        await AwaitLeader(group);
        var first = await group.WriteAsync(Append("once", "x;", "retry-me"), Patience);
        for (var i = 0; i < 30; i++)
        {
            await group.WriteAsync(Put($"filler{i}", "f"), Patience);
        }
        foreach (var id in group.Ids.ToList())
        {
            await group.CrashAsync(id);
            group.Restart(id);
        }
        await AwaitLeader(group);
        Assert.Equal(first, await group.WriteAsync(Append("once", "x;", "retry-me"), Patience));
        Assert.Equal("x;", await group.ReadAsync("once", Patience));
    }

    private static RaftGroupOptions FastOptions() => new()
    {
        TickInterval = TimeSpan.FromMilliseconds(20),
        Raft = new RaftOptions { ElectionTicks = 10, HeartbeatTicks = 1 },
    };
}
