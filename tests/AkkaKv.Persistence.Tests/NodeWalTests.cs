using AkkaKv.Persistence.Storage;
using AkkaKv.Persistence.Wal;
using AkkaKv.TestKit;
using Microsoft.Extensions.Logging;
using static AkkaKv.Persistence.Tests.WalTestData;

namespace AkkaKv.Persistence.Tests;

/// <summary>
/// The node WAL's contract: appends are readable and survive a reopen, Raft's conflict rule replaces suffixes,
/// gaps and writes below a snapshot are refused, hard states persist, compaction reclaims whole segments.
/// Method: drive a <see cref="NodeWal"/> on in-memory storage and reopen it on the same bytes.
/// </summary>
public sealed class NodeWalTests
{
    [Fact]
    public async Task A_group_commit_slower_than_the_warning_threshold_is_logged_with_its_duration_and_size()
    {
        var capture = new EventCapture();
        await using (var wal = NodeWal.Open(new MemoryWalStorage(), new WalOptions { SlowFlushWarning = TimeSpan.Zero }, capture.CreateLogger("wal")))
        {
            await wal.AppendAsync(ShardA, Entries(1, 3));
        }
        var warning = Assert.Single(capture.Events.OfType<CapturedLog>(), log => log.Level == LogLevel.Warning);
        Assert.Matches(@"^Write-ahead log 0+\.wal: a group commit of 1 requests \(\d+ bytes\) took \d+ ms to write and flush", warning.Message);
    }

    [Fact]
    public async Task Group_commits_faster_than_the_warning_threshold_are_not_logged()
    {
        var capture = new EventCapture();
        await using (var wal = NodeWal.Open(new MemoryWalStorage(), new WalOptions(), capture.CreateLogger("wal")))
        {
            await wal.AppendAsync(ShardA, Entries(1, 3));
            await wal.AppendAsync(ShardB, Entries(1, 2));
        }
        Assert.DoesNotContain(capture.Events.OfType<CapturedLog>(), log => log.Level >= LogLevel.Warning);
    }

    [Fact]
    public async Task Appended_entries_are_read_back_and_survive_a_reopen()
    {
        var storage = new MemoryWalStorage();
        await using (var wal = NodeWal.Open(storage))
        {
            await wal.AppendAsync(ShardA, Entries(1, 3));
            await wal.AppendAsync(ShardB, Entries(1, 2, term: 4), new HardState(new Term(4), new NodeId(2), new LogIndex(2)));
            Assert.Equal(["value-1-t1", "value-2-t1", "value-3-t1"], ReadAllText(wal, ShardA));
        }
        await using var reopened = NodeWal.Open(storage);
        Assert.Equal(["value-1-t1", "value-2-t1", "value-3-t1"], ReadAllText(reopened, ShardA));
        Assert.Equal(["value-1-t4", "value-2-t4"], ReadAllText(reopened, ShardB));
        Assert.Equal(new HardState(new Term(4), new NodeId(2), new LogIndex(2)), reopened.GetHardState(ShardB));
        Assert.Equal(new Term(1), reopened.TermAt(ShardA, new LogIndex(2)));
        Assert.Equal([ShardA, ShardB], reopened.Shards.Order());
    }

    [Fact]
    public async Task Appending_at_an_existing_index_replaces_it_and_everything_after_it()
    {
        var storage = new MemoryWalStorage();
        await using (var wal = NodeWal.Open(storage))
        {
            await wal.AppendAsync(ShardA, Entries(1, 5, term: 1));
            await wal.AppendAsync(ShardA, Entries(3, 3, term: 2));
            Assert.Equal(["value-1-t1", "value-2-t1", "value-3-t2"], ReadAllText(wal, ShardA));
        }
        await using var reopened = NodeWal.Open(storage);
        Assert.Equal(["value-1-t1", "value-2-t1", "value-3-t2"], ReadAllText(reopened, ShardA));
    }

    [Fact]
    public async Task Gaps_non_contiguous_batches_and_writes_below_a_snapshot_are_refused()
    {
        await using var wal = NodeWal.Open(new MemoryWalStorage());
        await wal.AppendAsync(ShardA, Entries(1, 2));
        var gap = await Assert.ThrowsAsync<ArgumentException>(() => wal.AppendAsync(ShardA, Entries(4, 4)));
        Assert.Contains("gap after the last entry i2", gap.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => { _ = wal.AppendAsync(ShardA, [Entry(3), Entry(5)]); });
        await wal.CompactAsync(ShardA, new LogIndex(2), new Term(1));
        var below = await Assert.ThrowsAsync<ArgumentException>(() => wal.AppendAsync(ShardA, Entries(2, 2)));
        Assert.Contains("at or below the compaction point", below.Message, StringComparison.Ordinal);
        await wal.AppendAsync(ShardA, Entries(3, 3));
        Assert.Equal(new JournalBounds(new LogIndex(2), new Term(1), new LogIndex(3)), wal.Bounds(ShardA));
    }

    [Fact]
    public async Task Oversized_entries_are_refused_before_anything_is_written()
    {
        await using var wal = NodeWal.Open(new MemoryWalStorage(), new WalOptions { MaxRecordBytes = 2048 });
        var huge = new JournalEntry(new LogIndex(1), new Term(1), new byte[4096]);
        var error = Assert.Throws<ArgumentException>(() => { _ = wal.AppendAsync(ShardA, [huge]); });
        Assert.Contains("exceeds the record limit of 2048 bytes", error.Message, StringComparison.Ordinal);
        Assert.True(wal.Bounds(ShardA).IsEmpty);
    }

    [Fact]
    public async Task Truncate_suffix_survives_a_reopen()
    {
        var storage = new MemoryWalStorage();
        await using (var wal = NodeWal.Open(storage))
        {
            await wal.AppendAsync(ShardA, Entries(1, 5));
            await wal.TruncateSuffixAsync(ShardA, new LogIndex(3));
        }
        await using var reopened = NodeWal.Open(storage);
        Assert.Equal(["value-1-t1", "value-2-t1"], ReadAllText(reopened, ShardA));
    }

    [Fact]
    public async Task Reads_respect_the_byte_limit_but_return_at_least_one_entry()
    {
        await using var wal = NodeWal.Open(new MemoryWalStorage());
        await wal.AppendAsync(ShardA, Entries(1, 10));
        Assert.Equal(2, wal.Read(ShardA, new LogIndex(1), new LogIndex(10), maxBytes: 21).Count);
        Assert.Single(wal.Read(ShardA, new LogIndex(1), new LogIndex(10), maxBytes: 1));
        Assert.Throws<ArgumentOutOfRangeException>(() => wal.Read(ShardA, new LogIndex(5), new LogIndex(11)));
    }

    [Fact]
    public async Task Compaction_deletes_dead_segments_and_rewrites_mostly_dead_ones()
    {
        var storage = new MemoryWalStorage();
        await using (var wal = NodeWal.Open(storage, SmallSegments))
        {
            // Shard A fills many segments and is then compacted; shard B keeps one live entry in the first segment.
            await wal.AppendAsync(ShardB, Entries(1, 1));
            for (ulong i = 1; i <= 400; i += 10)
            {
                await wal.AppendAsync(ShardA, Entries(i, i + 9));
            }
            var before = wal.SegmentCount;
            Assert.True(before >= 4, $"expected several segments, got {before}");
            await wal.CompactAsync(ShardA, new LogIndex(400), new Term(1));
            await wal.AppendAsync(ShardA, Entries(401, 401)); // let the idle writer reclaim
            Assert.True(wal.SegmentCount <= 2, $"expected at most 2 segments after compaction, got {wal.SegmentCount}");
            Assert.Equal(["value-1-t1"], ReadAllText(wal, ShardB));
        }
        await using var reopened = NodeWal.Open(storage, SmallSegments);
        Assert.Equal(["value-1-t1"], ReadAllText(reopened, ShardB));
        Assert.Equal(["value-401-t1"], ReadAllText(reopened, ShardA));
        Assert.Equal(new LogIndex(400), reopened.Bounds(ShardA).Compacted);
    }

    [Fact]
    public async Task Recovery_skips_compacted_entries_whose_predecessors_were_deleted_with_their_segment()
    {
        // Segment 0 holds only shard A's first entries and dies at compaction; a later segment still holds compacted
        // A entries (kept alive by shard B). Replay must not take the missing predecessors for lost data.
        var storage = new MemoryWalStorage();
        var options = SmallSegments with { RewriteBelowLiveFraction = 0 };
        await using (var wal = NodeWal.Open(storage, options))
        {
            for (ulong i = 1; i <= 300; i += 10)
            {
                await wal.AppendAsync(ShardA, Entries(i, i + 9));
                if (i == 101)
                {
                    await wal.AppendAsync(ShardB, Entries(1, 1));
                }
            }
            await wal.CompactAsync(ShardA, new LogIndex(250), new Term(1));
            await wal.AppendAsync(ShardA, Entries(301, 301)); // an idle moment reclaims the dead first segment
            Assert.DoesNotContain(WalSegment.NameOf(0), storage.List());
        }
        await using var reopened = NodeWal.Open(storage, options);
        Assert.Equal(Entries(251, 301).Select(Text), ReadAllText(reopened, ShardA));
        Assert.Equal(["value-1-t1"], ReadAllText(reopened, ShardB));
    }

    [Fact]
    public async Task Entries_read_from_disk_match_cached_ones()
    {
        var storage = new MemoryWalStorage();
        await using var wal = NodeWal.Open(storage, new WalOptions { CacheBytes = 50 });
        await wal.AppendAsync(ShardA, Entries(1, 20));
        Assert.Equal(Entries(1, 20).Select(Text), ReadAllText(wal, ShardA));
    }

    [Fact]
    public async Task After_a_reopen_the_newest_entries_come_from_memory_and_the_rest_from_disk_alike()
    {
        var storage = new MemoryWalStorage();
        var options = new WalOptions { CacheBytes = 100 };
        await using (var wal = NodeWal.Open(storage, options))
        {
            await wal.AppendAsync(ShardA, Entries(1, 20));
        }
        await using var reopened = NodeWal.Open(storage, options);
        Assert.Equal(Entries(1, 20).Select(Text), ReadAllText(reopened, ShardA));
    }

    [Fact]
    public async Task An_fsync_failure_fails_the_write_and_every_later_one()
    {
        var storage = new MemoryWalStorage();
        await using var wal = NodeWal.Open(storage);
        await wal.AppendAsync(ShardA, Entries(1, 1));
        storage.FailNextFlush = true;
        await Assert.ThrowsAsync<WalFailedException>(() => wal.AppendAsync(ShardA, Entries(2, 2)));
        var later = await Assert.ThrowsAsync<WalFailedException>(() => wal.AppendAsync(ShardA, Entries(2, 2)));
        Assert.Contains("accepts no more writes", later.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Concurrent_appends_share_fsyncs()
    {
        using var storage = new GatedStorage(new MemoryWalStorage());
        await using var wal = NodeWal.Open(storage);
        storage.HoldFlushes();
        var first = wal.AppendAsync(ShardA, Entries(1, 1));
        storage.WaitUntilAFlushIsHeld();
        var rest = Enumerable.Range(0, 50).Select(i => wal.AppendAsync(new ShardId((uint)(10 + i)), Entries(1, 1))).ToList();
        storage.ReleaseFlushes();
        await first;
        await Task.WhenAll(rest);
        Assert.Equal(51, wal.Statistics.Requests);
        Assert.Equal(2, wal.Statistics.Flushes); // the first alone, then all fifty that queued behind its fsync
    }

    [Fact]
    public async Task Files_of_other_kinds_in_the_directory_are_ignored_and_a_foreign_segment_is_refused()
    {
        var storage = new MemoryWalStorage();
        storage.Overwrite("notes.txt", [1, 2, 3]);
        await using (var wal = NodeWal.Open(storage))
        {
            await wal.AppendAsync(ShardA, Entries(1, 1));
        }
        storage.Overwrite(WalSegment.NameOf(0), "this is not a log at all, just text"u8.ToArray());
        storage.Overwrite(WalSegment.NameOf(1), []);
        var error = Assert.Throws<WalCorruptionException>(() => NodeWal.Open(storage));
        Assert.Contains("00000000000000000000.wal at offset 0: not a write-ahead log segment", error.Message, StringComparison.Ordinal);
    }
}
