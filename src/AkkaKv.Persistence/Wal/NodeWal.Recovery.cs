using System.Buffers.Binary;

namespace AkkaKv.Persistence.Wal;

/// <summary>
/// Recovery: scan every segment, cut a damaged tail of the last one (nothing there was acknowledged), refuse damage
/// anywhere else, then replay the records in sequence order to rebuild the index.
/// </summary>
public sealed partial class NodeWal
{
    private readonly record struct ScannedRecord(WalRecordHeader Header, RecordLocation Location, HardState? HardState, byte[]? Payload);

    /// <summary>Indexes (into the scanned list) of entries whose payload is kept, oldest first, and their bytes.</summary>
    private readonly Queue<int> _recoveredPayloads = new();
    private long _recoveredPayloadBytes;

    private void Recover()
    {
        DeleteLeftoverPreparedSegment();
        var ids = _storage.List()
            .Select(name => WalSegment.TryParseName(name, out var id) ? id : -1)
            .Where(id => id >= 0)
            .Order()
            .ToList();
        var records = new List<ScannedRecord>();
        for (var i = 0; i < ids.Count; i++)
        {
            var isLast = i == ids.Count - 1;
            var segment = new WalSegment(ids[i], _storage.Open(WalSegment.NameOf(ids[i]), create: false));
            _segments[segment.Id] = segment;
            if (!ScanSegment(segment, isLast, records))
            {
                // Repair mode cut this segment at its damage: everything after it is discarded.
                foreach (var later in ids.Skip(i + 1))
                {
                    _storage.Delete(WalSegment.NameOf(later));
                    _log.WalSegmentDiscarded(WalSegment.NameOf(later));
                }
                break;
            }
        }
        Replay(records);
        _recoveredPayloads.Clear();
        EvictCache();
        if (_segments.Count == 0)
        {
            _active = new WalSegment(0, CreateSegmentFile(0)) { Length = WalSegment.HeaderSize };
            _segments[0] = _active;
            _storage.FlushDirectory();
        }
        else
        {
            _active = _segments.Last().Value;
        }
        _log.WalRecovered(_storage.Location, _segments.Count, records.Count, _shards.Count);
    }

    /// <summary>Reads a segment's records into <paramref name="records"/>; false when repair mode cut it short.</summary>
    private bool ScanSegment(WalSegment segment, bool isLast, List<ScannedRecord> records)
    {
        var file = segment.File;
        var length = file.Length;
        Span<byte> segmentHeader = stackalloc byte[WalSegment.HeaderSize];
        var headerRead = file.Read(0, segmentHeader);
        if (headerRead < WalSegment.HeaderSize || !segmentHeader[..8].SequenceEqual(WalSegment.Magic))
        {
            if (isLast && (headerRead < WalSegment.HeaderSize) && WalSegment.Magic[..Math.Min(headerRead, 8)].SequenceEqual(segmentHeader[..Math.Min(headerRead, 8)]))
            {
                // A segment created just before a crash: rewrite its header.
                WalSegment.Initialize(file);
                segment.Length = WalSegment.HeaderSize;
                return true;
            }
            throw new WalCorruptionException(file.Name, 0, "not a write-ahead log segment (bad magic)");
        }
        var version = BinaryPrimitives.ReadUInt32LittleEndian(segmentHeader[8..]);
        if (version != WalSegment.FormatVersion)
        {
            throw new WalCorruptionException(file.Name, 8, $"segment format version {version} is not supported (expected {WalSegment.FormatVersion})");
        }
        long offset = WalSegment.HeaderSize;
        long batchEnd = offset;              // just after the last record that ended a group commit
        var recordsAtBatchEnd = records.Count;
        var reader = new BufferedSegmentReader(file, length);
        while (offset < length)
        {
            var problem = ReadRecordAt(reader, offset, length, out var header, out var payload);
            if (problem is not null)
            {
                // Zeros after the last non-zero byte are the segment's unwritten rest, evidence of nothing.
                var dataEnd = isLast ? DataEnd(file, offset, length) : length;
                if (isLast && dataEnd == offset)
                {
                    // Only zeros follow: the unwritten rest of a preallocated segment. The log ends here.
                    segment.Length = offset;
                    DropIncompleteBatch(segment, batchEnd, recordsAtBatchEnd, records);
                    return true;
                }
                var intact = HandleDamage(segment, offset, length, dataEnd, header, problem, isLast);
                if (intact && isLast)
                {
                    DropIncompleteBatch(segment, batchEnd, recordsAtBatchEnd, records);
                }
                return intact;
            }
            var location = new RecordLocation(segment, offset, header.RecordLength, header.Sequence);
            HardState? hardState = header.Type == WalRecordType.HardState && header.PayloadLength >= HardStatePayloadSize
                ? new HardState(header.Term, new NodeId(BinaryPrimitives.ReadUInt64LittleEndian(payload)), new LogIndex(BinaryPrimitives.ReadUInt64LittleEndian(payload[8..])))
                : null;
            records.Add(new ScannedRecord(header, location, hardState, KeepPayload(header, payload, records)));
            offset += header.RecordLength;
            if (header.EndsBatch)
            {
                batchEnd = offset;
                recordsAtBatchEnd = records.Count;
            }
        }
        segment.Length = offset;
        if (isLast)
        {
            DropIncompleteBatch(segment, batchEnd, recordsAtBatchEnd, records);
        }
        return true;
    }

    /// <summary>
    /// A group commit is all or nothing: intact records after the last one that ended a batch belong to a write
    /// whose fsync never completed (nobody was told it was durable), so they are cut off with the torn bytes —
    /// otherwise entries could survive without the hard state written in the same batch.
    /// </summary>
    private void DropIncompleteBatch(WalSegment segment, long batchEnd, int recordsAtBatchEnd, List<ScannedRecord> records)
    {
        if (segment.Length <= batchEnd)
        {
            return;
        }
        _log.WalIncompleteBatchDropped(segment.File.Name, batchEnd, records.Count - recordsAtBatchEnd);
        for (var i = recordsAtBatchEnd; i < records.Count; i++)
        {
            if (records[i].Payload is { } payload)
            {
                _recoveredPayloadBytes -= payload.Length;
            }
        }
        records.RemoveRange(recordsAtBatchEnd, records.Count - recordsAtBatchEnd);
        var cached = _recoveredPayloads.Where(index => index < recordsAtBatchEnd).ToList();
        _recoveredPayloads.Clear();
        cached.ForEach(_recoveredPayloads.Enqueue);
        segment.File.Truncate(batchEnd);
        segment.Length = batchEnd;
    }

    /// <summary>
    /// A copy of an entry's payload while the newest entries fit the cache budget, so shards replaying their
    /// journal after a restart read from memory instead of one small disk read per entry.
    /// </summary>
    private byte[]? KeepPayload(WalRecordHeader header, ReadOnlySpan<byte> payload, List<ScannedRecord> records)
    {
        if (header.Type is not (WalRecordType.Entry or WalRecordType.EntryCopy) || payload.Length > _options.CacheBytes)
        {
            return null;
        }
        _recoveredPayloads.Enqueue(records.Count);
        _recoveredPayloadBytes += payload.Length;
        while (_recoveredPayloadBytes > _options.CacheBytes && _recoveredPayloads.TryDequeue(out var oldest))
        {
            _recoveredPayloadBytes -= records[oldest].Payload?.Length ?? 0;
            records[oldest] = records[oldest] with { Payload = null };
        }
        return payload.ToArray();
    }

    /// <summary>Reads and checks one record; returns what is wrong with it, or null (then <paramref name="payload"/> is valid until the next read).</summary>
    private string? ReadRecordAt(BufferedSegmentReader reader, long offset, long length, out WalRecordHeader header, out ReadOnlySpan<byte> payload)
    {
        header = default;
        payload = default;
        if (length - offset < WalRecordHeader.Size)
        {
            return $"only {length - offset} bytes left, less than a record header";
        }
        if (!WalRecordHeader.TryDecode(reader.Read(offset, WalRecordHeader.Size), _options.MaxRecordBytes, out header, out var crc, out var problem))
        {
            return problem;
        }
        if (offset + header.RecordLength > length)
        {
            return $"record of {header.RecordLength} bytes runs past the end of the file ({length} bytes)";
        }
        var record = reader.Read(offset, header.RecordLength);
        var actual = Crc32C.Compute(record[WalRecordHeader.PrefixSize..]);
        payload = record[WalRecordHeader.Size..];
        return actual == crc ? null : $"checksum mismatch (stored {crc:x8}, computed {actual:x8})";
    }

    private bool HandleDamage(WalSegment segment, long offset, long length, long dataEnd, WalRecordHeader header, string problem, bool isLast)
    {
        if (isLast && (HasUnwrittenSector(segment.File, offset, dataEnd, header) || !CommittedRecordFollows(segment.File, offset, dataEnd, length)))
        {
            // The tail of the last segment was being written when the node stopped; none of it was acknowledged.
            _log.WalTornTailTruncated(segment.File.Name, offset, length - offset, problem);
            segment.File.Truncate(offset);
            segment.Length = offset;
            return true;
        }
        if (!_options.TruncateAfterCorruption)
        {
            throw new WalCorruptionException(segment.File.Name, offset, problem);
        }
        _log.WalCorruptionTruncated(segment.File.Name, offset, problem);
        segment.File.Truncate(offset);
        segment.Length = offset;
        return false;
    }

    /// <summary>
    /// True when an intact record ending a group commit lies after <paramref name="offset"/>: that batch was
    /// acknowledged after the damaged bytes were fsynced, so the damage is corruption, not a torn write.
    /// </summary>
    private bool CommittedRecordFollows(Storage.IWalFile file, long offset, long dataEnd, long length)
    {
        // Candidates start before the last non-zero byte; a record may still end in zeros of its own.
        var rest = new byte[Math.Min(length, dataEnd + _options.MaxRecordBytes) - offset];
        file.Read(offset, rest);
        for (var position = 1; offset + position < dataEnd && position + WalRecordHeader.Size <= rest.Length; position++)
        {
            var candidate = rest.AsSpan(position);
            if (!WalRecordHeader.TryDecode(candidate, _options.MaxRecordBytes, out var header, out var crc, out _)
                || !header.EndsBatch || header.RecordLength > candidate.Length)
            {
                continue;
            }
            if (Crc32C.Compute(candidate[WalRecordHeader.PrefixSize..header.RecordLength]) == crc)
            {
                return true;
            }
        }
        return false;
    }

    /// <summary>
    /// True when a sector's share of the damaged record at <paramref name="offset"/>, before
    /// <paramref name="dataEnd"/> (the end of the last non-zero byte), is all zeros: a write over a
    /// preallocated segment that the power cut stopped before the disk stored that sector. A disk stores the sectors
    /// of one write in any order, so intact records of the same unfinished group commit may follow; none of it was
    /// acknowledged (an acknowledged fsync would have stored this sector too). Only sectors before the last non-zero
    /// byte count: a length field damaged into a larger one would otherwise reach the segment's unwritten zeros and
    /// pass acknowledged records off as torn.
    /// </summary>
    private static bool HasUnwrittenSector(Storage.IWalFile file, long offset, long dataEnd, WalRecordHeader header)
    {
        var end = offset + Math.Min(dataEnd - offset, header.RecordLength > 0 ? header.RecordLength : WalRecordHeader.Size);
        var buffer = new byte[Storage.DiskSector.Size];
        for (var start = offset; start < end;)
        {
            var sectorEnd = Math.Min(end, (start / Storage.DiskSector.Size + 1) * Storage.DiskSector.Size);
            var share = buffer.AsSpan(0, (int)(sectorEnd - start));
            file.Read(start, share);
            if (!share.ContainsAnyExcept((byte)0))
            {
                return true;
            }
            start = sectorEnd;
        }
        return false;
    }

    /// <summary>The end of the last non-zero byte in [<paramref name="from"/>, <paramref name="length"/>), or <paramref name="from"/> when all are zero.</summary>
    private static long DataEnd(Storage.IWalFile file, long from, long length)
    {
        var buffer = new byte[(int)Math.Min(ZeroChunkBytes, Math.Max(1, length - from))];
        for (var end = length; end > from;)
        {
            var start = Math.Max(from, end - buffer.Length);
            var chunk = buffer.AsSpan(0, (int)(end - start));
            file.Read(start, chunk);
            var last = chunk.LastIndexOfAnyExcept((byte)0);
            if (last >= 0)
            {
                return start + last + 1;
            }
            end = start;
        }
        return from;
    }

    private void Replay(List<ScannedRecord> records)
    {
        // A copy and its original share a sequence number; after a crash between copying and deleting, both exist.
        records.Sort((a, b) => a.Header.Sequence != b.Header.Sequence
            ? a.Header.Sequence.CompareTo(b.Header.Sequence)
            : b.Location.Segment.Id.CompareTo(a.Location.Segment.Id));
        // Each shard's log starts after its latest compaction mark: older entries are in its snapshot, and some of
        // them may already be gone with their segments.
        // A removal voids everything of its shard recorded before it.
        var removedAt = records.Where(record => record.Header.Type == WalRecordType.Removed)
            .GroupBy(record => record.Header.Shard)
            .ToDictionary(marks => marks.Key, marks => marks.Max(record => record.Header.Sequence));
        bool Void(ScannedRecord record) => removedAt.TryGetValue(record.Header.Shard, out var at) && record.Header.Sequence <= at;
        foreach (var mark in records.Where(record => record.Header.Type == WalRecordType.Compacted && !Void(record))
                     .GroupBy(record => record.Header.Shard)
                     .Select(marks => marks.MaxBy(record => record.Header.Sequence)))
        {
            LogOf(mark.Header.Shard).StartAfter(mark.Header.Index, mark.Header.Term);
        }
        ulong previous = 0;
        foreach (var record in records)
        {
            if (record.Header.Sequence == previous && previous != 0)
            {
                continue;
            }
            previous = record.Header.Sequence;
            if (!Void(record))
            {
                ApplyRecovered(record);
            }
        }
        if (records.Count > 0)
        {
            _nextSequence = records.Max(record => record.Header.Sequence) + 1;
        }
    }

    private void ApplyRecovered(ScannedRecord record)
    {
        var header = record.Header;
        var log = LogOf(header.Shard);
        switch (header.Type)
        {
            case WalRecordType.Entry or WalRecordType.EntryCopy:
                if (log.CheckAppend(header.Index) is { } problem)
                {
                    if (header.Index <= log.Compacted)
                    {
                        return; // already covered by a snapshot
                    }
                    throw new WalCorruptionException(record.Location.Segment.File.Name, record.Location.Offset, $"{header.Shard}: {problem}; a record is missing");
                }
                // Not "record.Payload" directly: a null byte[] converts to an empty, non-null ReadOnlyMemory.
                var entry = new IndexedEntry(header.Term, record.Location, record.Payload is { } bytes ? new ReadOnlyMemory<byte>(bytes) : default(ReadOnlyMemory<byte>?));
                log.Append(header.Index, entry, Uncache);
                if (record.Payload is not null)
                {
                    Cache(entry);
                }
                break;
            case WalRecordType.HardState when record.HardState is { } state:
                log.SetHardState(state, record.Location);
                break;
            case WalRecordType.Compacted:
                log.CompactTo(header.Index, header.Term, record.Location, null);
                break;
            case WalRecordType.Truncated:
                log.TruncateFrom(header.Index, null);
                break;
            default:
                throw new WalCorruptionException(record.Location.Segment.File.Name, record.Location.Offset, $"malformed {header.Type} record");
        }
    }
}
