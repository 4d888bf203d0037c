using System.Text;
using Akka.Actor;
using AkkaKv.Persistence.Snapshots;
using AkkaKv.Persistence.Storage;
using AkkaKv.Persistence.Wal;
using AkkaKv.Raft;
using AkkaKv.Sharding.Hosting;
using AkkaKv.Store;
using Microsoft.Extensions.Logging.Abstractions;

namespace AkkaKv.Sharding.Tests;

/// <summary>
/// A shard as a Raft group of one (a <see cref="ShardReplicaHost"/> actor on Akka.NET): a write is answered only once
/// journaled and committed, effects follow log order, state survives restarts (journal replay, snapshot + replay),
/// snapshots compact the journal, retries are applied once, and a failed journal fails the pending writes. Method:
/// real actors (Akka.TestKit), an in-memory WAL that can be reopened, snapshot files in a temporary directory. Log
/// positions: 1 is the bootstrap membership entry, 2 the first leader's no-op, so the first write is at 3.
/// </summary>
public sealed class SingleReplicaGroupTests(ITestOutputHelper output) : Akka.TestKit.Xunit2.TestKit("akka.loglevel = WARNING", output), IAsyncLifetime
{
    private static readonly ShardId Shard = new(3);
    private readonly string _snapshotDirectory = Directory.CreateTempSubdirectory("akkakv-shard-").FullName;
    private readonly MemoryWalStorage _storage = new();
    private NodeWal _wal = null!;
    private int _generation;

    public Task InitializeAsync()
    {
        _wal = NodeWal.Open(_storage);
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        await Sys.Terminate(); // no replica may use the journal once it is disposed
        await _wal.DisposeAsync();
        Directory.Delete(_snapshotDirectory, recursive: true);
    }

    private static readonly NodeId Node = new(1);

    private IActorRef StartReplica(RaftGroupOptions? options = null) =>
        Sys.ActorOf(ShardReplicaHost.Props(Shard, Node, new ConfState([Node]), _wal, new FileSnapshotStore(_snapshotDirectory), new InProcessRaftTransport(), options ?? new RaftGroupOptions(),
            NullLoggerFactory.Instance, TimeProvider.System), $"shard-{++_generation}");

    private async Task<IActorRef> Restart(IActorRef replica, RaftGroupOptions? options = null)
    {
        Watch(replica);
        Sys.Stop(replica);
        ExpectTerminated(replica);
        await _wal.DisposeAsync();
        _wal = NodeWal.Open(_storage);
        return StartReplica(options);
    }

    private static KvPut Put(string key, string value, string? idempotencyKey = null) =>
        new(key, Encoding.UTF8.GetBytes(value), KvCondition.None, idempotencyKey);

    private KvResult Write(IActorRef replica, KvCommand command)
    {
        replica.Tell(new WriteRequest(command), TestActor);
        return ExpectMsg<WriteReply>().Result;
    }

    private string? Read(IActorRef replica, string key, ReadConsistency consistency = ReadConsistency.Linearizable)
    {
        replica.Tell(new ReadRequest(key, consistency), TestActor);
        var value = ExpectMsg<ReadReply>().Value;
        return value is null ? null : Encoding.UTF8.GetString(value.Value.Span);
    }

    [Fact]
    public async Task Writes_are_journaled_before_they_are_answered_and_survive_a_restart()
    {
        var replica = StartReplica();
        Assert.Equal(new KvResult.Written(new LogIndex(3)), Write(replica, Put("a", "1")));
        Assert.Equal(new KvResult.Written(new LogIndex(4)), Write(replica, new KvAppend("a", "2"u8.ToArray(), KvCondition.None)));
        Assert.Equal(new LogIndex(4), _wal.Bounds(Shard).Last);
        // The commit index is recorded after the answer, without waiting for it (Ready.MustSync).
        AwaitAssert(() => Assert.Equal(new Persistence.HardState(new Term(1), Node, new LogIndex(4)), _wal.GetHardState(Shard)));

        var restarted = await Restart(replica);
        Assert.Equal("12", Read(restarted, "a"));
        // The restarted replica elects itself in term 2 and commits its no-op at 5 first.
        Assert.Equal(new KvResult.Written(new LogIndex(6)), Write(restarted, Put("b", "x")));
    }

    [Fact]
    public void Pipelined_writes_are_applied_and_answered_in_log_order()
    {
        var replica = StartReplica();
        for (var i = 0; i < 500; i++)
        {
            replica.Tell(new WriteRequest(new KvAppend("log", Encoding.UTF8.GetBytes($"{i};"), KvCondition.None)), TestActor);
        }
        for (var i = 3; i <= 502; i++)
        {
            Assert.Equal(new KvResult.Written(new LogIndex((ulong)i)), ExpectMsg<WriteReply>().Result);
        }
        Assert.Equal(string.Concat(Enumerable.Range(0, 500).Select(i => $"{i};")), Read(replica, "log"));
    }

    [Fact]
    public async Task Snapshots_compact_the_journal_and_recovery_is_snapshot_plus_replay()
    {
        var options = new RaftGroupOptions { SnapshotEveryEntries = 10, CompactionLagEntries = 0 };
        var replica = StartReplica(options);
        for (var i = 0; i < 25; i++)
        {
            Write(replica, Put($"k{i % 7}", $"v{i}")); // at 3..27
        }
        AwaitAssert(() => Assert.Equal(new LogIndex(22), _wal.Bounds(Shard).Compacted));
        Assert.Equal([new LogIndex(22), new LogIndex(12)], new FileSnapshotStore(_snapshotDirectory).List(Shard).Select(s => s.Index));

        var restarted = await Restart(replica, options);
        AwaitAssert(() =>
        {
            restarted.Tell(GetShardStatus.Instance, TestActor);
            var status = ExpectMsg<ShardStatus>();
            Assert.Equal(new LogIndex(28), status.AppliedIndex); // replayed to 27, then the new term's no-op
            Assert.Equal(new LogIndex(22), status.SnapshotIndex);
        });
        Assert.Equal("v24", Read(restarted, "k3"));
        Assert.Equal("v20", Read(restarted, "k6"));
    }

    [Fact]
    public void A_byte_threshold_triggers_a_snapshot_before_the_entry_count()
    {
        var replica = StartReplica(new RaftGroupOptions { SnapshotEveryEntries = 1_000, SnapshotEveryBytes = 3_000, CompactionLagEntries = 0 });
        for (var i = 0; i < 4; i++)
        {
            Write(replica, new KvPut($"big{i}", new byte[1_000], KvCondition.None)); // at 3..6
        }
        AwaitAssert(() => Assert.Equal(new LogIndex(5), _wal.Bounds(Shard).Compacted));
    }

    [Fact]
    public async Task A_retried_write_is_applied_once_even_across_a_restart_and_a_snapshot()
    {
        var options = new RaftGroupOptions { SnapshotEveryEntries = 2, CompactionLagEntries = 0 };
        var replica = StartReplica(options);
        var first = Write(replica, new KvAppend("k", "x"u8.ToArray(), KvCondition.None, "client:1"));
        Write(replica, Put("other", "1"));
        var restarted = await Restart(replica, options);
        Assert.Equal(first, Write(restarted, new KvAppend("k", "x"u8.ToArray(), KvCondition.None, "client:1")));
        Assert.Equal("x", Read(restarted, "k"));
    }

    [Fact]
    public void A_failed_journal_answers_the_pending_write_with_an_unknown_outcome_and_refuses_new_ones()
    {
        var replica = StartReplica();
        Write(replica, Put("a", "1"));
        _storage.FailNextFlush = true;
        replica.Tell(new WriteRequest(Put("a", "2")), TestActor);
        Assert.Contains("failed", ExpectMsg<OutcomeUnknown>().Reason, StringComparison.Ordinal);
        Assert.Equal("1", Read(replica, "a", ReadConsistency.Serializable));
        replica.Tell(new WriteRequest(Put("b", "1")), TestActor);
        Assert.Contains("journal", ExpectMsg<ShardUnavailable>().Reason, StringComparison.Ordinal); // never proposed: not applied
        replica.Tell(new ReadRequest("a"), TestActor);
        Assert.IsType<ShardUnavailable>(ExpectMsg<ShardReply>()); // no linearizable reads from a replica that cannot persist
    }

    [Fact]
    public void Scans_list_keys_with_versions_in_order()
    {
        var replica = StartReplica();
        Write(replica, Put("b", "1"));
        Write(replica, Put("a", "1"));
        Write(replica, Put("c", "1"));
        replica.Tell(new ScanRequest("", 2), TestActor);
        Assert.Equal([new KeyVersion("a", new LogIndex(4)), new KeyVersion("b", new LogIndex(3))], ExpectMsg<ScanReply>().Keys);
    }
}
