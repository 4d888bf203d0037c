using AkkaKv.Persistence.Storage;
using AkkaKv.Persistence.Wal;
using static AkkaKv.Persistence.Tests.WalTestData;

namespace AkkaKv.Persistence.Tests;

/// <summary>
/// Crash consistency. The last record of a segment is cut at every byte offset and has every byte flipped:
/// recovery keeps every acknowledged record and exposes nothing half-written. Damage before a later group commit
/// is corruption: the node refuses to start, naming file and offset, unless repair mode is on. Seeded power cuts
/// with torn writes never lose an acknowledged append. Method: in-memory storage whose bytes the test edits.
/// </summary>
public sealed class WalCrashConsistencyTests
{
    private static readonly string Segment0 = WalSegment.NameOf(0);

    /// <summary>A log with entries 1..5 of shard A, each appended (and acknowledged) on its own.</summary>
    private static async Task<(MemoryWalStorage Storage, byte[] Bytes, int LastRecordStart)> FiveAcknowledgedEntries()
    {
        var storage = new MemoryWalStorage();
        await using (var wal = NodeWal.Open(storage))
        {
            for (ulong i = 1; i <= 5; i++)
            {
                await wal.AppendAsync(ShardA, [Entry(i)]);
            }
        }
        var bytes = storage.ReadAll(Segment0);
        var lastRecordLength = WalRecordHeader.Size + Entry(5).Payload.Length;
        return (storage, bytes, bytes.Length - lastRecordLength);
    }

    [Fact]
    public async Task Cutting_the_last_record_at_any_byte_keeps_every_earlier_record_and_nothing_half_written()
    {
        var (storage, bytes, lastStart) = await FiveAcknowledgedEntries();
        for (var cut = lastStart; cut < bytes.Length; cut++)
        {
            storage.Overwrite(Segment0, bytes[..cut]);
            await using var wal = NodeWal.Open(storage);
            Assert.Equal(Entries(1, 4).Select(Text), ReadAllText(wal, ShardA));
            Assert.Equal(lastStart, storage.ReadAll(Segment0).Length); // the torn bytes were cut away
        }
        storage.Overwrite(Segment0, bytes);
        await using var whole = NodeWal.Open(storage);
        Assert.Equal(Entries(1, 5).Select(Text), ReadAllText(whole, ShardA));
    }

    [Fact]
    public async Task A_group_commit_is_all_or_nothing_entries_never_survive_without_their_hard_state()
    {
        var storage = new MemoryWalStorage();
        var first = new HardState(new Term(1), new NodeId(1), new LogIndex(1));
        await using (var wal = NodeWal.Open(storage))
        {
            await wal.AppendAsync(ShardA, [Entry(1)], first);
            await wal.AppendAsync(ShardA, [Entry(2), Entry(3)], new HardState(new Term(2), new NodeId(2), new LogIndex(3)));
        }
        var bytes = storage.ReadAll(Segment0);
        // Cut inside the second batch, anywhere after its first complete record (entry 2): a torn write that
        // left intact records behind, but not the batch's end.
        var secondBatchTail = (WalRecordHeader.Size + Entry(3).Payload.Length) + (WalRecordHeader.Size + 16);
        for (var cut = bytes.Length - secondBatchTail; cut < bytes.Length; cut++)
        {
            storage.Overwrite(Segment0, bytes[..cut]);
            await using var wal = NodeWal.Open(storage);
            Assert.Equal(Entries(1, 1).Select(Text), ReadAllText(wal, ShardA));
            Assert.Equal(first, wal.GetHardState(ShardA));
        }
    }

    [Fact]
    public async Task Flipping_any_byte_of_the_last_record_drops_only_that_record()
    {
        var (storage, bytes, lastStart) = await FiveAcknowledgedEntries();
        for (var position = lastStart; position < bytes.Length; position++)
        {
            var damaged = (byte[])bytes.Clone();
            damaged[position] ^= 0x5A;
            storage.Overwrite(Segment0, damaged);
            await using var wal = NodeWal.Open(storage);
            Assert.Equal(Entries(1, 4).Select(Text), ReadAllText(wal, ShardA));
        }
    }

    [Fact]
    public async Task Damage_before_a_later_commit_stops_recovery_naming_file_and_offset()
    {
        var (storage, bytes, _) = await FiveAcknowledgedEntries();
        var secondRecord = WalSegment.HeaderSize + WalRecordHeader.Size + Entry(1).Payload.Length;
        var damaged = (byte[])bytes.Clone();
        damaged[secondRecord + WalRecordHeader.Size] ^= 0xFF; // a payload byte of entry 2
        storage.Overwrite(Segment0, damaged);
        var error = Assert.Throws<WalCorruptionException>(() => NodeWal.Open(storage));
        Assert.Contains($"{Segment0} at offset {secondRecord}: checksum mismatch", error.Message, StringComparison.Ordinal);
        Assert.Equal(secondRecord, error.Offset);

        await using var repaired = NodeWal.Open(storage, new WalOptions { TruncateAfterCorruption = true });
        Assert.Equal(["value-1-t1"], ReadAllText(repaired, ShardA));
    }

    [Fact]
    public async Task Damage_in_an_older_segment_stops_recovery_and_repair_discards_what_follows()
    {
        var storage = new MemoryWalStorage();
        await using (var wal = NodeWal.Open(storage, SmallSegments))
        {
            for (ulong i = 1; i <= 200; i++)
            {
                await wal.AppendAsync(ShardA, [Entry(i)]);
            }
            Assert.True(wal.SegmentCount >= 3);
        }
        var bytes = storage.ReadAll(Segment0);
        bytes[^3] ^= 0x01;
        storage.Overwrite(Segment0, bytes);
        var error = Assert.Throws<WalCorruptionException>(() => NodeWal.Open(storage, SmallSegments));
        Assert.Contains(Segment0, error.Message, StringComparison.Ordinal);

        await using var repaired = NodeWal.Open(storage, SmallSegments with { TruncateAfterCorruption = true });
        var kept = ReadAllText(repaired, ShardA);
        Assert.NotEmpty(kept);
        Assert.Equal(Entries(1, (ulong)kept.Length).Select(Text), kept);
        Assert.Equal(1, repaired.SegmentCount);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    [InlineData(5)]
    [InlineData(6)]
    [InlineData(7)]
    [InlineData(8)]
    public Task Power_cuts_with_torn_writes_never_lose_an_acknowledged_append(int seed) => PowerCutLives(seed, SmallSegments);

    /// <summary>Six lives of a log, each ended by a power cut with writes in flight; every life checks the acknowledged ones survived.</summary>
    internal static async Task PowerCutLives(int seed, WalOptions options)
    {
        var random = new Random(seed);
        var storage = new MemoryWalStorage();
        var acknowledged = new Dictionary<ShardId, ulong>();
        for (var life = 0; life < 6; life++)
        {
            var wal = NodeWal.Open(storage, options);
            foreach (var (shard, last) in acknowledged)
            {
                var bounds = wal.Bounds(shard);
                Assert.True(bounds.Last >= new LogIndex(last), $"AKKAKV_SEED={seed} life {life}: {shard} lost acknowledged entries after {bounds.Last} (had {last})");
                Assert.Equal(Entries(bounds.First.Value, last).Select(Text), wal.Read(shard, bounds.First, new LogIndex(last)).Select(Text));
            }
            var pending = new List<(ShardId Shard, ulong Index, Task Write)>();
            var lastWritten = Enumerable.Range(0, 3).ToDictionary(i => new ShardId((uint)i), i => wal.Bounds(new ShardId((uint)i)).Last.Value);
            for (var op = 0; op < 40; op++)
            {
                var shard = new ShardId((uint)random.Next(3));
                var next = ++lastWritten[shard];
                pending.Add((shard, next, wal.AppendAsync(shard, [Entry(next)])));
                if (random.Next(4) == 0)
                {
                    await pending[^1].Write;
                }
            }
            // The power goes out while writes are in flight: what was acknowledged before the cut must survive.
            var acknowledgedBeforeCut = pending.Where(p => p.Write.IsCompletedSuccessfully).ToList();
            var survivor = storage.PowerCut(random);
            foreach (var (shard, index, _) in acknowledgedBeforeCut)
            {
                acknowledged[shard] = Math.Max(acknowledged.GetValueOrDefault(shard), index);
            }
            await wal.DisposeAsync(); // the dead process's writes land on the old image only
            storage = survivor;
        }
    }
}
