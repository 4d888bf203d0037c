using AkkaKv.Persistence.Storage;
using AkkaKv.Persistence.Wal;
using static AkkaKv.Persistence.Tests.WalTestData;

namespace AkkaKv.Persistence.Tests;

/// <summary>
/// Commit records (<see cref="IJournal.RecordCommit"/>): a hard state that only moved the commit index is written
/// without an fsync of its own and made durable by the next group commit — and never left behind where a later fsync
/// would not reach it (a segment rolled away) or where it supersedes a record that is then deleted.
/// Method: a <see cref="NodeWal"/> on in-memory storage, cut as a power failure would (only fsynced bytes survive).
/// </summary>
public sealed class NodeWalCommitRecordTests
{
    private static readonly HardState Voted = new(new Term(3), new NodeId(1), new LogIndex(0));

    [Fact]
    public async Task A_commit_record_is_written_without_an_fsync_and_made_durable_by_the_next_group_commit()
    {
        var storage = new MemoryWalStorage();
        await using var wal = NodeWal.Open(storage);
        await wal.AppendAsync(ShardA, Entries(1, 2, term: 3), Voted);
        var flushes = wal.Statistics.Flushes;

        await RecordCommitAsync(wal, ShardA, Voted with { Commit = new LogIndex(2) });

        Assert.Equal(flushes, wal.Statistics.Flushes);
        await using (var cut = NodeWal.Open(storage.PowerCut()))
        {
            Assert.Equal(Voted, cut.GetHardState(ShardA)); // lost with the power: only the commit index, which Raft relearns
            Assert.Equal(["value-1-t3", "value-2-t3"], ReadAllText(cut, ShardA));
        }
        await wal.AppendAsync(ShardB, Entries(1, 1));
        await using var after = NodeWal.Open(storage.PowerCut());
        Assert.Equal(new LogIndex(2), after.GetHardState(ShardA)?.Commit);
    }

    [Fact]
    public async Task A_segment_ending_with_a_commit_record_is_fsynced_before_the_log_moves_to_the_next()
    {
        var storage = new MemoryWalStorage();
        var options = SmallSegments;
        await using var wal = NodeWal.Open(storage, options);
        await wal.AppendAsync(ShardA, [Entry(1, 3)], Voted);
        // One entry sized so that the commit record after it crosses the segment's size: the next write rolls.
        var used = storage.ReadAll(WalSegment.NameOf(0)).Length;
        var payload = (int)options.SegmentBytes - used - WalRecordHeader.Size - 10;
        await wal.AppendAsync(ShardA, [Entry(2, 3, new string('p', payload))]);
        await RecordCommitAsync(wal, ShardA, Voted with { Commit = new LogIndex(2) });

        await wal.AppendAsync(ShardB, Entries(1, 1)); // rolls to segment 1, then fsyncs there

        Assert.Equal(2, wal.SegmentCount);
        await using var cut = NodeWal.Open(storage.PowerCut(), options); // a torn tail in segment 0 would be refused as damage
        Assert.Equal(new LogIndex(2), cut.GetHardState(ShardA)?.Commit);
        Assert.Equal(["value-1-t1"], ReadAllText(cut, ShardB));
    }

    [Fact]
    public async Task A_commit_record_is_fsynced_before_the_segment_holding_the_hard_state_it_replaces_is_deleted()
    {
        var storage = new MemoryWalStorage();
        var options = SmallSegments with { RewriteBelowLiveFraction = 0 }; // segments are deleted only once dead
        await using var wal = NodeWal.Open(storage, options);
        await wal.AppendAsync(ShardA, Entries(1, 1, term: 3), Voted);
        for (ulong i = 2; wal.SegmentCount < 2; i++)
        {
            await wal.AppendAsync(ShardA, [Entry(i, 3)]);
        }
        var last = wal.Bounds(ShardA).Last;
        await wal.CompactAsync(ShardA, last, new Term(3)); // segment 0 keeps only shard A's hard state alive

        await RecordCommitAsync(wal, ShardA, Voted with { Commit = last }); // supersedes it; the idle writer deletes segment 0
        await AwaitAsync(() => !storage.List().Contains(WalSegment.NameOf(0)), "segment 0 reclaimed");

        await using var cut = NodeWal.Open(storage.PowerCut(), options);
        Assert.Equal(Voted with { Commit = last }, cut.GetHardState(ShardA)); // the term and vote were not lost with segment 0
    }

    [Fact]
    public async Task A_commit_record_after_a_failed_fsync_reports_the_failure()
    {
        var storage = new MemoryWalStorage();
        await using var wal = NodeWal.Open(storage);
        await wal.AppendAsync(ShardA, Entries(1, 1, term: 3), Voted);
        storage.FailNextFlush = true;
        await Assert.ThrowsAsync<WalFailedException>(() => wal.AppendAsync(ShardA, Entries(2, 2, term: 3)));
        var reported = new TaskCompletionSource<Exception>(TaskCreationOptions.RunContinuationsAsynchronously);
        wal.RecordCommit(ShardA, Voted with { Commit = new LogIndex(1) }, cause => reported.TrySetResult(cause));
        var cause = await reported.Task.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.IsType<WalFailedException>(cause);
    }

    /// <summary>Records a commit and waits until the writer has taken it (its hard state is then the shard's).</summary>
    private static Task RecordCommitAsync(NodeWal wal, ShardId shard, HardState state)
    {
        wal.RecordCommit(shard, state, cause => throw new InvalidOperationException("commit record failed", cause));
        return AwaitAsync(() => wal.GetHardState(shard) == state, $"hard state {state} recorded");
    }

    private static async Task AwaitAsync(Func<bool> condition, string what)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, $"timed out waiting for: {what}");
            await Task.Delay(5); // allowed: polling a condition with a deadline
        }
    }
}
