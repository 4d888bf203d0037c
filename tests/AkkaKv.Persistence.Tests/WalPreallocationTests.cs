using AkkaKv.Persistence.Storage;
using AkkaKv.Persistence.Wal;
using static AkkaKv.Persistence.Tests.WalTestData;

namespace AkkaKv.Persistence.Tests;

/// <summary>
/// Preallocated segments (<see cref="WalOptions.PreallocateSegments"/>): segment files are written at full size with
/// zeros before use, a roll cuts the finished one to its records, recovery reads a zero tail of the last segment as
/// the end, and a power cut in the middle of an overwrite (sectors stored in any order) is a torn write, never taken
/// for damage and never losing an acknowledged record. Method: in-memory storage driven by the test thread (the
/// manual mode prepares each file inline), bytes edited as a power cut leaves them; one test on real files.
/// </summary>
public sealed class WalPreallocationTests
{
    private static readonly string Segment0 = WalSegment.NameOf(0);

    private static WalOptions Preallocated => SmallSegments with { PreallocateSegments = true };

    /// <summary>Preallocated segments big enough for a group commit spanning several sectors.</summary>
    private static WalOptions PreallocatedLarger => Preallocated with { SegmentBytes = 64 * 1024 };

    /// <summary>Appends in manual mode: queue, group-commit, return once acknowledged.</summary>
    private static async Task AppendAsync(NodeWal wal, ShardId shard, IReadOnlyList<JournalEntry> entries)
    {
        var written = wal.AppendAsync(shard, entries);
        wal.FlushPending();
        await written;
    }

    private static async Task<(MemoryWalStorage Storage, byte[] Bytes, int LastRecordStart, int End)> FiveAcknowledgedEntries()
    {
        var storage = new MemoryWalStorage();
        await using (var wal = NodeWal.OpenManual(storage, Preallocated))
        {
            for (ulong i = 1; i <= 5; i++)
            {
                await AppendAsync(wal, ShardA, [Entry(i)]);
            }
        }
        var bytes = storage.ReadAll(Segment0);
        var end = WalSegment.HeaderSize + Enumerable.Range(1, 5).Sum(i => WalRecordHeader.Size + Entry((ulong)i).Payload.Length);
        return (storage, bytes, end - (WalRecordHeader.Size + Entry(5).Payload.Length), end);
    }

    [Fact]
    public async Task A_new_log_writes_its_segment_at_full_size_and_a_reopen_keeps_the_zero_tail_and_continues_after_the_records()
    {
        var (storage, bytes, _, end) = await FiveAcknowledgedEntries();
        Assert.Equal(Preallocated.SegmentBytes, bytes.Length);
        Assert.False(bytes.AsSpan(end).ContainsAnyExcept((byte)0));

        await using (var reopened = NodeWal.OpenManual(storage, Preallocated))
        {
            Assert.Equal(Entries(1, 5).Select(Text), ReadAllText(reopened, ShardA));
            Assert.Equal(Preallocated.SegmentBytes, storage.ReadAll(Segment0).Length); // nothing was cut
            await AppendAsync(reopened, ShardA, [Entry(6)]);
        }
        await using var again = NodeWal.OpenManual(storage, Preallocated);
        Assert.Equal(Entries(1, 6).Select(Text), ReadAllText(again, ShardA));
    }

    [Fact]
    public async Task A_roll_cuts_the_finished_segment_to_its_records_and_moves_to_a_prepared_full_size_one()
    {
        var storage = new MemoryWalStorage();
        await using (var wal = NodeWal.OpenManual(storage, Preallocated))
        {
            for (ulong i = 1; i <= 300; i++)
            {
                await AppendAsync(wal, ShardA, [Entry(i)]);
            }
            Assert.True(wal.SegmentCount >= 3);
        }
        var segments = storage.List().Where(name => name.EndsWith(".wal", StringComparison.Ordinal)).Order().ToList();
        foreach (var finished in segments[..^1])
        {
            var bytes = storage.ReadAll(finished);
            Assert.True(bytes.Length < Preallocated.SegmentBytes + 200, $"{finished} holds {bytes.Length} bytes");
            Assert.NotEqual(0, bytes[^1] | bytes[^2] | bytes[^3] | bytes[^4]); // ends with a record's bytes, not zeros
        }
        Assert.Equal(Preallocated.SegmentBytes, storage.ReadAll(segments[^1]).Length);
        Assert.DoesNotContain(NodeWal.PreparedSegmentName, storage.List()); // manual mode prepares at the roll itself

        await using var reopened = NodeWal.OpenManual(storage, Preallocated); // damage in a finished segment would stop this
        Assert.Equal(Entries(1, 300).Select(Text), ReadAllText(reopened, ShardA));
    }

    [Fact]
    public async Task A_segment_preallocated_larger_than_the_configured_size_is_cut_to_its_records_when_the_log_rolls_away()
    {
        // Prepared under a larger segment size, then the node restarts with a smaller one: the active segment rolls
        // long before its zeros are used up, and only the last segment may end in zeros.
        var storage = new MemoryWalStorage();
        await using (var wal = NodeWal.OpenManual(storage, PreallocatedLarger))
        {
            await AppendAsync(wal, ShardA, Entries(1, 2));
        }
        await using (var wal = NodeWal.OpenManual(storage, Preallocated))
        {
            for (ulong i = 3; i <= 150; i++)
            {
                await AppendAsync(wal, ShardA, [Entry(i)]);
            }
            Assert.True(wal.SegmentCount >= 2);
        }
        var first = storage.ReadAll(Segment0);
        Assert.True(first.Length < 64 * 1024, $"segment 0 still holds {first.Length} bytes");

        await using var reopened = NodeWal.OpenManual(storage, Preallocated);
        Assert.Equal(Entries(1, 150).Select(Text), ReadAllText(reopened, ShardA));
    }

    [Fact]
    public async Task Recovery_deletes_a_prepared_segment_left_over_by_an_earlier_run()
    {
        var (storage, _, _, _) = await FiveAcknowledgedEntries();
        storage.Overwrite(NodeWal.PreparedSegmentName, [0x41, 0x4B, 0x4B]); // a preparation the crash interrupted

        await using var reopened = NodeWal.OpenManual(storage, Preallocated);

        Assert.DoesNotContain(NodeWal.PreparedSegmentName, storage.List());
        Assert.Equal(Entries(1, 5).Select(Text), ReadAllText(reopened, ShardA));
    }

    [Fact]
    public async Task Zeroing_the_last_record_from_any_byte_keeps_every_earlier_record_and_nothing_half_written()
    {
        var (storage, bytes, lastStart, end) = await FiveAcknowledgedEntries();
        for (var from = lastStart; from < end; from++)
        {
            var torn = (byte[])bytes.Clone();
            Array.Clear(torn, from, end - from);
            storage.Overwrite(Segment0, torn);
            await using var wal = NodeWal.OpenManual(storage, Preallocated);
            Assert.Equal(Entries(1, 4).Select(Text), ReadAllText(wal, ShardA));
        }
    }

    [Fact]
    public async Task Flipping_any_byte_of_the_last_record_drops_only_that_record()
    {
        var (storage, bytes, lastStart, end) = await FiveAcknowledgedEntries();
        for (var position = lastStart; position < end; position++)
        {
            var damaged = (byte[])bytes.Clone();
            damaged[position] ^= 0x5A;
            storage.Overwrite(Segment0, damaged);
            await using var wal = NodeWal.OpenManual(storage, Preallocated);
            Assert.Equal(Entries(1, 4).Select(Text), ReadAllText(wal, ShardA));
        }
    }

    /// <summary>Entries 1..3 acknowledged one by one, then 4..12 in one group commit spanning several sectors.</summary>
    /// <summary>The end of the sector holding <paramref name="offset"/>.</summary>
    private static int SectorEndAfter(int offset) => (offset / DiskSector.Size + 1) * DiskSector.Size;

    private static async Task<(MemoryWalStorage Storage, byte[] Bytes, int BatchStart)> ThenABatchAcrossSectors()
    {
        var storage = new MemoryWalStorage();
        var options = PreallocatedLarger;
        await using (var wal = NodeWal.OpenManual(storage, options))
        {
            for (ulong i = 1; i <= 3; i++)
            {
                await AppendAsync(wal, ShardA, [Entry(i)]);
            }
            await AppendAsync(wal, ShardA, [.. Enumerable.Range(4, 9).Select(i => Entry((ulong)i, text: new string((char)('a' + i), 300)))]);
        }
        var batchStart = WalSegment.HeaderSize + Enumerable.Range(1, 3).Sum(i => WalRecordHeader.Size + Entry((ulong)i).Payload.Length);
        return (storage, storage.ReadAll(Segment0), batchStart);
    }

    [Fact]
    public async Task A_group_commit_whose_first_sector_never_reached_the_disk_is_a_torn_write_even_with_later_sectors_intact()
    {
        var (storage, bytes, batchStart) = await ThenABatchAcrossSectors();
        // The power failed while the batch was being overwritten; the disk had stored its later sectors (with the
        // record that ends the batch) but not the one where it begins, which still holds the zeros it was prepared with.
        var firstSectorEnd = SectorEndAfter(batchStart);
        Array.Clear(bytes, batchStart, firstSectorEnd - batchStart);
        storage.Overwrite(Segment0, bytes);

        await using var wal = NodeWal.OpenManual(storage, PreallocatedLarger);

        Assert.Equal(Entries(1, 3).Select(Text), ReadAllText(wal, ShardA));
    }

    [Fact]
    public async Task Garbage_rather_than_zeros_before_an_intact_group_commit_is_still_damage()
    {
        var (storage, bytes, batchStart) = await ThenABatchAcrossSectors();
        var firstSectorEnd = SectorEndAfter(batchStart);
        bytes.AsSpan(batchStart, firstSectorEnd - batchStart).Fill(0x5A);
        storage.Overwrite(Segment0, bytes);

        var error = Assert.Throws<WalCorruptionException>(() => NodeWal.OpenManual(storage, PreallocatedLarger));

        Assert.Equal(batchStart, error.Offset);
    }

    [Fact]
    public async Task Damage_before_a_later_commit_stops_recovery_naming_file_and_offset()
    {
        var (storage, bytes, _, _) = await FiveAcknowledgedEntries();
        var secondRecord = WalSegment.HeaderSize + WalRecordHeader.Size + Entry(1).Payload.Length;
        bytes[secondRecord + WalRecordHeader.Size] ^= 0xFF; // a payload byte of entry 2
        storage.Overwrite(Segment0, bytes);

        var error = Assert.Throws<WalCorruptionException>(() => NodeWal.OpenManual(storage, Preallocated));

        Assert.Equal(secondRecord, error.Offset);
    }

    [Fact]
    public async Task A_length_field_damaged_into_a_longer_record_reaching_the_unwritten_zeros_is_still_damage()
    {
        var (storage, bytes, _, _) = await FiveAcknowledgedEntries();
        var secondRecord = WalSegment.HeaderSize + WalRecordHeader.Size + Entry(1).Payload.Length;
        // The record now claims 3,000 bytes: past entries 3..5 (acknowledged) into the zeros of the segment's rest.
        System.Buffers.Binary.BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(secondRecord), 3000);
        storage.Overwrite(Segment0, bytes);

        var error = Assert.Throws<WalCorruptionException>(() => NodeWal.OpenManual(storage, Preallocated));

        Assert.Equal(secondRecord, error.Offset);
    }

    [Fact]
    public async Task When_preparing_a_segment_fails_the_log_logs_it_and_goes_on_with_an_empty_segment()
    {
        var storage = new MemoryWalStorage { FailNextFlush = true };
        await using (var wal = NodeWal.OpenManual(storage, Preallocated))
        {
            await AppendAsync(wal, ShardA, Entries(1, 2));
        }
        Assert.DoesNotContain(NodeWal.PreparedSegmentName, storage.List());
        Assert.True(storage.ReadAll(Segment0).Length < Preallocated.SegmentBytes);
        await using var reopened = NodeWal.OpenManual(storage, Preallocated);
        Assert.Equal(Entries(1, 2).Select(Text), ReadAllText(reopened, ShardA));
    }

    [Theory]
    [InlineData(11)]
    [InlineData(12)]
    [InlineData(13)]
    [InlineData(14)]
    [InlineData(15)]
    [InlineData(16)]
    [InlineData(17)]
    [InlineData(18)]
    public Task Power_cuts_tearing_overwrites_sector_by_sector_never_lose_an_acknowledged_append(int seed) =>
        WalCrashConsistencyTests.PowerCutLives(seed, Preallocated);

    [Fact]
    public async Task On_real_files_the_next_segment_is_prepared_in_the_background_and_taken_at_the_roll()
    {
        var directory = Directory.CreateTempSubdirectory("akkakv-wal-prealloc-").FullName;
        try
        {
            var options = PreallocatedLarger;
            var prepared = Path.Combine(directory, NodeWal.PreparedSegmentName);
            await using (var wal = NodeWal.Open(new FileWalStorage(directory), options))
            {
                Assert.Equal(options.SegmentBytes, new FileInfo(Path.Combine(directory, Segment0)).Length);
                Assert.True(
                    SpinWait.SpinUntil(() => File.Exists(prepared) && new FileInfo(prepared).Length == options.SegmentBytes, TimeSpan.FromSeconds(30)),
                    "the next segment was not prepared");
                ulong index = 0;
                while (wal.SegmentCount < 2)
                {
                    await wal.AppendAsync(ShardA, [Entry(++index, text: new string('v', 1000))]);
                }
                Assert.Equal(options.SegmentBytes, new FileInfo(Path.Combine(directory, WalSegment.NameOf(1))).Length);
                Assert.True(new FileInfo(Path.Combine(directory, Segment0)).Length < options.SegmentBytes + 2000);
                await wal.AppendAsync(ShardA, [Entry(++index, text: new string('v', 1000))]);
            }
            await using var reopened = NodeWal.Open(new FileWalStorage(directory), options);
            var bounds = reopened.Bounds(ShardA);
            Assert.Equal(new LogIndex(1), bounds.First);
            Assert.True(bounds.Last.Value > 60);
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }
}
