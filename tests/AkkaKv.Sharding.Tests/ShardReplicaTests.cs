using System.Text;
using AkkaKv.Actors;
using AkkaKv.Persistence.Snapshots;
using AkkaKv.Persistence.Storage;
using AkkaKv.Persistence.Wal;
using AkkaKv.Store;

namespace AkkaKv.Sharding.Tests;

/// <summary>
/// The shard replica as a persistent actor: a write is answered only once journaled, effects follow log order,
/// state survives restarts (journal replay, snapshot + replay), snapshots compact the journal, retries are applied
/// once, and a failed journal fails the pending writes. Method: real actors, an in-memory WAL that can be reopened,
/// snapshot files in a temporary directory.
/// </summary>
public sealed class ShardReplicaTests(ITestOutputHelper output) : TestKit.TestKit(output), IAsyncLifetime
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
        await _wal.DisposeAsync();
        Directory.Delete(_snapshotDirectory, recursive: true);
    }

    private IActorRef StartReplica(ShardReplicaOptions? options = null) =>
        Sys.ActorOf(ShardReplicaActor.Props(Shard, _wal, new FileSnapshotStore(_snapshotDirectory), options), $"shard-{++_generation}");

    private async Task<IActorRef> Restart(IActorRef replica, ShardReplicaOptions? options = null)
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

    private string? Read(IActorRef replica, string key)
    {
        replica.Tell(new ReadRequest(key), TestActor);
        var value = ExpectMsg<ReadReply>().Value;
        return value is null ? null : Encoding.UTF8.GetString(value.Value.Span);
    }

    [Fact]
    public async Task Writes_are_journaled_before_they_are_answered_and_survive_a_restart()
    {
        var replica = StartReplica();
        Assert.Equal(new KvResult.Written(new LogIndex(1)), Write(replica, Put("a", "1")));
        Assert.Equal(new KvResult.Written(new LogIndex(2)), Write(replica, new KvAppend("a", "2"u8.ToArray(), KvCondition.None)));
        Assert.Equal(new LogIndex(2), _wal.Bounds(Shard).Last);

        var restarted = await Restart(replica);
        Assert.Equal("12", Read(restarted, "a"));
        Assert.Equal(new KvResult.Written(new LogIndex(3)), Write(restarted, Put("b", "x")));
    }

    [Fact]
    public void Pipelined_writes_are_applied_and_answered_in_log_order()
    {
        var replica = StartReplica();
        for (var i = 0; i < 500; i++)
        {
            replica.Tell(new WriteRequest(new KvAppend("log", Encoding.UTF8.GetBytes($"{i};"), KvCondition.None)), TestActor);
        }
        for (var i = 1; i <= 500; i++)
        {
            Assert.Equal(new KvResult.Written(new LogIndex((ulong)i)), ExpectMsg<WriteReply>().Result);
        }
        Assert.Equal(string.Concat(Enumerable.Range(0, 500).Select(i => $"{i};")), Read(replica, "log"));
    }

    [Fact]
    public async Task Snapshots_compact_the_journal_and_recovery_is_snapshot_plus_replay()
    {
        var options = new ShardReplicaOptions { SnapshotEveryEntries = 10 };
        var replica = StartReplica(options);
        for (var i = 0; i < 25; i++)
        {
            Write(replica, Put($"k{i % 7}", $"v{i}"));
        }
        AwaitAssert(() => Assert.Equal(new LogIndex(20), _wal.Bounds(Shard).Compacted));
        Assert.Equal([new LogIndex(20), new LogIndex(10)], new FileSnapshotStore(_snapshotDirectory).List(Shard).Select(s => s.Index));

        var restarted = await Restart(replica, options);
        restarted.Tell(GetShardStatus.Instance, TestActor);
        var status = ExpectMsg<ShardStatus>();
        Assert.Equal(new LogIndex(25), status.AppliedIndex);
        Assert.Equal(new LogIndex(20), status.SnapshotIndex);
        Assert.Equal("v24", Read(restarted, "k3"));
        Assert.Equal("v20", Read(restarted, "k6"));
    }

    [Fact]
    public void A_byte_threshold_triggers_a_snapshot_before_the_entry_count()
    {
        var replica = StartReplica(new ShardReplicaOptions { SnapshotEveryEntries = 1_000, SnapshotEveryBytes = 3_000 });
        for (var i = 0; i < 4; i++)
        {
            Write(replica, new KvPut($"big{i}", new byte[1_000], KvCondition.None));
        }
        AwaitAssert(() => Assert.Equal(new LogIndex(3), _wal.Bounds(Shard).Compacted));
    }

    [Fact]
    public async Task A_retried_write_is_applied_once_even_across_a_restart_and_a_snapshot()
    {
        var options = new ShardReplicaOptions { SnapshotEveryEntries = 2 };
        var replica = StartReplica(options);
        var first = Write(replica, new KvAppend("k", "x"u8.ToArray(), KvCondition.None, "client:1"));
        Write(replica, Put("other", "1"));
        var restarted = await Restart(replica, options);
        Assert.Equal(first, Write(restarted, new KvAppend("k", "x"u8.ToArray(), KvCondition.None, "client:1")));
        Assert.Equal("x", Read(restarted, "k"));
    }

    [Fact]
    public void A_failed_journal_fails_the_pending_write_instead_of_answering_it()
    {
        var replica = StartReplica();
        Write(replica, Put("a", "1"));
        _storage.FailNextFlush = true;
        replica.Tell(new WriteRequest(Put("a", "2")), TestActor);
        Assert.IsType<WalFailedException>(ExpectMsg<Status.Failure>().Cause);
        Assert.Equal("1", Read(replica, "a"));
    }

    [Fact]
    public void Scans_list_keys_with_versions_in_order()
    {
        var replica = StartReplica();
        Write(replica, Put("b", "1"));
        Write(replica, Put("a", "1"));
        Write(replica, Put("c", "1"));
        replica.Tell(new ScanRequest("", 2), TestActor);
        Assert.Equal([new KeyVersion("a", new LogIndex(2)), new KeyVersion("b", new LogIndex(1))], ExpectMsg<ScanReply>().Keys);
    }
}
