using AkkaKv.Persistence.Storage;
using AkkaKv.Persistence.Wal;
using static AkkaKv.Persistence.Tests.WalTestData;

namespace AkkaKv.Persistence.Tests;

/// <summary>
/// Removing a shard from the node WAL (its replica moved away): everything recorded for it is void — now and after a
/// reopen — other shards are untouched, its space is reclaimed, and the shard can start again from nothing without
/// its old records coming back. Method: a <see cref="NodeWal"/> on in-memory storage, reopened on the same bytes.
/// </summary>
public sealed class WalShardRemovalTests
{
    [Fact]
    public async Task A_removed_shard_is_gone_now_and_after_a_reopen_and_other_shards_keep_everything()
    {
        var storage = new MemoryWalStorage();
        await using (var wal = NodeWal.Open(storage))
        {
            await wal.AppendAsync(ShardA, Entries(1, 5), new HardState(new Term(3), new NodeId(7), new LogIndex(5)));
            await wal.CompactAsync(ShardA, new LogIndex(2), new Term(1));
            await wal.AppendAsync(ShardB, Entries(1, 2));
            await wal.RemoveShardAsync(ShardA);
            Assert.Equal([ShardB], wal.Shards);
            Assert.True(wal.Bounds(ShardA).IsEmpty);
            Assert.Null(wal.GetHardState(ShardA));
        }
        await using var reopened = NodeWal.Open(storage);
        Assert.Equal([ShardB], reopened.Shards);
        Assert.Null(reopened.GetHardState(ShardA));
        Assert.Equal(default, reopened.Bounds(ShardA));
        Assert.Equal(["value-1-t1", "value-2-t1"], ReadAllText(reopened, ShardB));
    }

    [Fact]
    public async Task A_shard_started_again_after_removal_sees_only_its_new_records()
    {
        var storage = new MemoryWalStorage();
        await using (var wal = NodeWal.Open(storage))
        {
            await wal.AppendAsync(ShardA, Entries(1, 6, term: 2), new HardState(new Term(2), new NodeId(1), new LogIndex(6)));
            await wal.CompactAsync(ShardA, new LogIndex(4), new Term(2));
            await wal.RemoveShardAsync(ShardA);
            await wal.AppendAsync(ShardA, Entries(1, 2, term: 5)); // a new replica of the shard, from nothing
        }
        await using var reopened = NodeWal.Open(storage);
        Assert.Equal(["value-1-t5", "value-2-t5"], ReadAllText(reopened, ShardA));
        Assert.Equal(LogIndex.Zero, reopened.Bounds(ShardA).Compacted);
        Assert.Null(reopened.GetHardState(ShardA));
    }

    [Fact]
    public async Task A_removed_shards_segments_are_reclaimed()
    {
        var storage = new MemoryWalStorage();
        await using (var wal = NodeWal.Open(storage, SmallSegments))
        {
            await wal.AppendAsync(ShardB, Entries(1, 1));
            for (ulong i = 1; i <= 400; i += 10)
            {
                await wal.AppendAsync(ShardA, Entries(i, i + 9));
            }
            var before = wal.SegmentCount;
            Assert.True(before >= 4, $"expected several segments, got {before}");
            await wal.RemoveShardAsync(ShardA);
            await wal.AppendAsync(ShardB, Entries(2, 2)); // let the idle writer reclaim
            Assert.True(wal.SegmentCount <= 2, $"expected at most 2 segments after the removal, got {wal.SegmentCount} of {before}");
        }
        await using var reopened = NodeWal.Open(storage, SmallSegments);
        Assert.Equal([ShardB], reopened.Shards);
        Assert.Equal(["value-1-t1", "value-2-t1"], ReadAllText(reopened, ShardB));
    }
}
