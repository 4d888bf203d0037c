using System.Text;
using AkkaKv.Actors;
using AkkaKv.Raft;
using AkkaKv.Store;

namespace AkkaKv.Sharding.Tests;

/// <summary>
/// The classic replicated key-value scenarios on in-process groups of 3 and 5 real <see cref="ShardReplicaActor"/>s,
/// each replica with its own WAL: basic replication, concurrent clients, an unreliable network with retries
/// (appends exactly once, in per-client order), a leader cut into a minority, continuous random partitions, a
/// full-group crash, bounded logs, snapshot catch-up, and idempotency across snapshots. Method: real time, a
/// fast tick (20 ms), clients that retry with the same idempotency key, and assertions awaited with deadlines.
/// </summary>
public sealed class ReplicatedGroupTests(ITestOutputHelper output) : TestKit.TestKit(output)
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(20);

    private static KvAppend Append(string key, string value, string idempotencyKey) =>
        new(key, Encoding.UTF8.GetBytes(value), KvCondition.None, idempotencyKey);

    private static KvPut Put(string key, string value, string? idempotencyKey = null) =>
        new(key, Encoding.UTF8.GetBytes(value), KvCondition.None, idempotencyKey);

    private NodeId AwaitLeader(ReplicatedGroup group)
    {
        NodeId? leader = null;
        AwaitAssert(() => Assert.NotNull(leader = group.LeaderAsync().GetAwaiter().GetResult()), Patience);
        return leader!.Value;
    }

    /// <summary>Every live replica has applied the same state: <paramref name="key"/> reads <paramref name="expected"/> locally everywhere.</summary>
    private void AwaitReplicated(ReplicatedGroup group, string key, string expected, IEnumerable<NodeId>? on = null) =>
        AwaitAssert(() =>
        {
            foreach (var id in on ?? group.Ids)
            {
                var reply = group.TryAskAsync(id, new ReadRequest(key, ReadConsistency.Serializable), TimeSpan.FromSeconds(1)).GetAwaiter().GetResult();
                var value = Assert.IsType<ReadReply>(reply).Value;
                Assert.Equal(expected, value is null ? null : Encoding.UTF8.GetString(value.Value.Span));
            }
        }, Patience);

    /// <summary>Each client's appends appear exactly once, in that client's order.</summary>
    private static void AssertExactlyOnceInOrder(string value, int clients, int perClient)
    {
        var items = value.Split(';', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(clients * perClient, items.Length);
        Assert.Equal(items.Length, items.Distinct().Count());
        for (var client = 0; client < clients; client++)
        {
            var mine = items.Where(item => item.StartsWith($"c{client}-", StringComparison.Ordinal)).Select(item => int.Parse(item[(item.IndexOf('-') + 1)..], System.Globalization.CultureInfo.InvariantCulture)).ToList();
            Assert.Equal(Enumerable.Range(0, perClient), mine);
        }
    }

    private static Task RunClients(ReplicatedGroup group, string key, int clients, int perClient) =>
        Task.WhenAll(Enumerable.Range(0, clients).Select(async client =>
        {
            for (var i = 0; i < perClient; i++)
            {
                var result = await group.WriteAsync(Append(key, $"c{client}-{i};", $"client{client}:{i}"), Patience);
                Assert.IsType<KvResult.Written>(result);
            }
        }));

    [Theory]
    [InlineData(3)]
    [InlineData(5)]
    public async Task Basic_a_write_through_the_leader_is_applied_on_every_replica(int size)
    {
        await using var group = new ReplicatedGroup(Sys, size);
        AwaitLeader(group);
        Assert.IsType<KvResult.Written>(await group.WriteAsync(Put("k", "v1"), Patience));
        AwaitReplicated(group, "k", "v1");
        Assert.Equal("v1", await group.ReadAsync("k", Patience));
    }

    [Theory]
    [InlineData(3)]
    [InlineData(5)]
    public async Task Concurrent_clients_each_appends_lands_once_in_client_order(int size)
    {
        await using var group = new ReplicatedGroup(Sys, size);
        AwaitLeader(group);
        await RunClients(group, "log", clients: 8, perClient: 20);
        AssertExactlyOnceInOrder((await group.ReadAsync("log", Patience))!, 8, 20);
    }

    [Fact]
    public async Task An_unreliable_network_with_retries_still_gives_exactly_once_appends_in_client_order()
    {
        await using var group = new ReplicatedGroup(Sys, 3);
        AwaitLeader(group);
        group.LoseMessages(0.2);
        await RunClients(group, "log", clients: 4, perClient: 15);
        group.Heal();
        AssertExactlyOnceInOrder((await group.ReadAsync("log", Patience))!, 4, 15);
    }

    [Theory]
    [InlineData(3)]
    [InlineData(5)]
    public async Task A_leader_cut_into_a_minority_completes_nothing_and_serves_no_stale_read_after_healing(int size)
    {
        await using var group = new ReplicatedGroup(Sys, size);
        var oldLeader = AwaitLeader(group);
        Assert.IsType<KvResult.Written>(await group.WriteAsync(Put("k", "before"), Patience));
        group.Isolate(oldLeader);

        // The minority cannot commit: the write is not answered with success (it times out or is refused).
        var minorityWrite = await group.TryAskAsync(oldLeader, new WriteRequest(Put("k", "minority", "m:1")), TimeSpan.FromMilliseconds(600));
        Assert.IsNotType<WriteReply>(minorityWrite);
        var minorityRead = await group.TryAskAsync(oldLeader, new ReadRequest("k"), TimeSpan.FromMilliseconds(600));
        Assert.IsNotType<ReadReply>(minorityRead);

        // The majority elects a new leader and moves on.
        NodeId? newLeader = null;
        AwaitAssert(() =>
        {
            newLeader = group.LeaderAsync().GetAwaiter().GetResult();
            Assert.NotNull(newLeader);
            Assert.NotEqual(oldLeader, newLeader);
        }, Patience);
        Assert.IsType<KvResult.Written>(await group.WriteAsync(Put("k", "after"), Patience));

        group.Heal();
        // Asked directly, the old leader (now a follower) must not return the stale value.
        Assert.Equal("after", await group.ReadAsync("k", Patience, at: oldLeader));
        // The minority write was never acknowledged; whether it was applied later is allowed either way, but
        // only once and only after "after" if at all — here it can only have been dropped (its term ended).
        AwaitReplicated(group, "k", "after");
    }

    [Fact]
    public async Task Continuous_random_partitions_lose_no_acknowledged_write()
    {
        await using var group = new ReplicatedGroup(Sys, 5);
        AwaitLeader(group);
        using var stop = new CancellationTokenSource();
        var chaos = Task.Run(async () =>
        {
            var ids = group.Ids.ToList();
            while (!stop.IsCancellationRequested)
            {
                group.Heal();
                var victim = ids[Random.Shared.Next(ids.Count)];
                group.Isolate(victim, ids.Where(_ => Random.Shared.Next(2) == 0));
                await Task.Delay(150, CancellationToken.None); // allowed: the pace of the fault injector
            }
        });
        await RunClients(group, "log", clients: 4, perClient: 40);
        await stop.CancelAsync();
        await chaos;
        group.Heal();
        AssertExactlyOnceInOrder((await group.ReadAsync("log", Patience))!, 4, 40);
    }

    [Fact]
    public async Task After_a_full_group_crash_every_replica_recovers_its_state_from_its_wal()
    {
        await using var group = new ReplicatedGroup(Sys, 3);
        AwaitLeader(group);
        await RunClients(group, "log", clients: 3, perClient: 10);
        foreach (var id in group.Ids.ToList())
        {
            await group.CrashAsync(id);
        }
        foreach (var id in group.Ids.ToList())
        {
            group.Restart(id);
        }
        AwaitLeader(group);
        AssertExactlyOnceInOrder((await group.ReadAsync("log", Patience))!, 3, 10);
    }

    [Fact]
    public async Task Snapshots_keep_every_replicas_log_bounded()
    {
        var options = FastOptions() with { SnapshotEveryEntries = 20, CompactionLagEntries = 5 };
        await using var group = new ReplicatedGroup(Sys, 3, options);
        AwaitLeader(group);
        for (var i = 0; i < 200; i++)
        {
            Assert.IsType<KvResult.Written>(await group.WriteAsync(Put($"k{i % 10}", $"v{i}"), Patience));
        }
        AwaitAssert(() =>
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
        await using var group = new ReplicatedGroup(Sys, 3, options);
        AwaitLeader(group);
        var lagging = group.Ids.Last();
        group.Isolate(lagging);
        for (var i = 0; i < 60; i++)
        {
            Assert.IsType<KvResult.Written>(await group.WriteAsync(Put($"k{i % 7}", $"v{i}"), Patience));
        }
        var leader = AwaitLeader(group);
        AwaitAssert(() => Assert.True(group.WalOf(leader).Bounds(ReplicatedGroup.Shard).Compacted > new LogIndex(10)), Patience);
        var behind = (await group.StatusAsync(leader))!;
        Assert.False(behind.HasCaughtUp(lagging, maxLag: 10), "the leader reports the cut-off replica as behind");
        group.Heal();
        AwaitReplicated(group, "k4", "v53", [lagging]); // the last write to k4 (i = 53)
        var status = (await group.StatusAsync(lagging))!;
        Assert.True(status.SnapshotIndex > LogIndex.Zero, "the lagging replica restored a snapshot");
        AwaitAssert(() => Assert.True(group.StatusAsync(AwaitLeader(group)).GetAwaiter().GetResult()!.HasCaughtUp(lagging, maxLag: 0), "the leader sees the replica caught up"), Patience);
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
        await using var group = new ReplicatedGroup(Sys, 3, FastOptions());
        var leader = AwaitLeader(group);
        Assert.IsType<KvResult.Written>(await group.WriteAsync(Put("k", "before"), Patience));
        var removed = group.Ids.First(id => id != leader);
        AwaitReplicated(group, "k", "before", [removed]);
        var change = await group.ActorOf(leader).Ask<ShardReply>(new ChangeMembership(new ConfChange(ConfChangeKind.RemoveNode, removed)), Patience);
        Assert.IsType<AdminAccepted>(change);
        Assert.IsType<KvResult.Written>(await group.WriteAsync(Put("k", "after"), Patience));
        // The removed replica learns its removal (the entry commits with it still a member) and then refuses; it would
        // otherwise serve "before" forever.
        AwaitAssert(() =>
        {
            foreach (var consistency in new[] { ReadConsistency.Serializable, ReadConsistency.Eventual })
            {
                var reply = group.ActorOf(removed).Ask<ShardReply>(new ReadRequest("k", consistency), TimeSpan.FromSeconds(1)).GetAwaiter().GetResult();
                Assert.Contains("was removed", Assert.IsType<ShardUnavailable>(reply).Reason, StringComparison.Ordinal);
                var scan = group.ActorOf(removed).Ask<ShardReply>(new ScanRequest("", 10, consistency), TimeSpan.FromSeconds(1)).GetAwaiter().GetResult();
                Assert.Contains("was removed", Assert.IsType<ShardUnavailable>(scan).Reason, StringComparison.Ordinal);
            }
            var linearizable = group.ActorOf(removed).Ask<ShardReply>(new ScanRequest("", 10), TimeSpan.FromSeconds(1)).GetAwaiter().GetResult();
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
        await using var group = new ReplicatedGroup(Sys, 3, FastOptions());
        var leader = AwaitLeader(group);
        Assert.IsType<KvResult.Written>(await group.WriteAsync(Put("scan/k", "before"), Patience));
        var cutOff = group.Ids.First(id => id != leader);
        AwaitReplicated(group, "scan/k", "before", [cutOff]);
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
        await using var group = new ReplicatedGroup(Sys, 3, FastOptions());
        var leader = AwaitLeader(group);
        Assert.IsType<KvResult.Written>(await group.WriteAsync(Put("k", "before"), Patience));
        var behind = group.Ids.First(id => id != leader);
        var removed = group.Ids.First(id => id != leader && id != behind);
        AwaitReplicated(group, "k", "before", [behind, removed]);
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
        AwaitAssert(() =>
        {
            var reply = group.ActorOf(behind).Ask<ShardReply>(new ReadRequest("k", ReadConsistency.Serializable) { MinEpoch = after }, TimeSpan.FromSeconds(1)).GetAwaiter().GetResult();
            Assert.Equal("after", Encoding.UTF8.GetString(Assert.IsType<ReadReply>(reply).Value!.Value.Span));
        }, Patience);
        Assert.Equal(after, (await group.StatusAsync(behind))!.Conf.Index);
    }

    [Fact]
    public async Task The_idempotency_table_survives_snapshots_and_restarts()
    {
        var options = FastOptions() with { SnapshotEveryEntries = 5, CompactionLagEntries = 0 };
        await using var group = new ReplicatedGroup(Sys, 3, options);
        AwaitLeader(group);
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
        AwaitLeader(group);
        Assert.Equal(first, await group.WriteAsync(Append("once", "x;", "retry-me"), Patience));
        Assert.Equal("x;", await group.ReadAsync("once", Patience));
    }

    private static RaftGroupOptions FastOptions() => new()
    {
        TickInterval = TimeSpan.FromMilliseconds(20),
        Raft = new RaftOptions { ElectionTicks = 10, HeartbeatTicks = 1 },
    };
}
