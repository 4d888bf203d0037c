using System.Buffers;
using System.Buffers.Binary;

namespace AkkaKv.Persistence.Wal;

/// <summary>
/// Space reclamation, always from the oldest segment so that a deleted record is older than every record that
/// survives (which keeps replay by sequence number exact): delete it when nothing in it is live; otherwise, once
/// little of it is live, copy the live records forward (keeping their sequence numbers) and then delete it.
/// </summary>
public sealed partial class NodeWal
{
    private void ReclaimSpace()
    {
        try
        {
            while (_segments.Count > 1)
            {
                var oldest = _segments.First().Value;
                if (ReferenceEquals(oldest, _active))
                {
                    return;
                }
                if (oldest.LiveRecords > 0)
                {
                    var payloadBytes = Math.Max(1, oldest.Length - WalSegment.HeaderSize);
                    if ((double)oldest.LiveBytes / payloadBytes >= _options.RewriteBelowLiveFraction)
                    {
                        return;
                    }
                    CopyLiveRecordsForward(oldest);
                }
                SyncActive();
                DeleteSegment(oldest);
            }
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            _failure = exception;
            _log.WalWriteFailed(_active.File.Name, exception);
        }
    }

    private void CopyLiveRecordsForward(WalSegment segment)
    {
        _buffer.ResetWrittenCount();
        var moves = new List<Action<RecordLocation>>();
        var copied = new List<(RecordLocation From, byte[] Bytes)>();
        _indexLock.EnterReadLock();
        try
        {
            foreach (var log in _shards.Values)
            {
                if (log.CompactedLocation?.Segment == segment)
                {
                    copied.Add((log.CompactedLocation, ReadRecord(log.CompactedLocation)));
                    moves.Add(log.RelocateCompacted);
                }
                if (log.HardStateLocation?.Segment == segment)
                {
                    copied.Add((log.HardStateLocation, ReadRecord(log.HardStateLocation)));
                    moves.Add(log.RelocateHardState);
                }
                foreach (var entry in log.Entries)
                {
                    if (entry.Location.Segment == segment)
                    {
                        copied.Add((entry.Location, ReadRecord(entry.Location)));
                        moves.Add(to => ShardLog.RelocateEntry(entry, to));
                    }
                }
            }
        }
        finally
        {
            _indexLock.ExitReadLock();
        }
        if (_active.Length >= _options.SegmentBytes)
        {
            _indexLock.EnterWriteLock();
            try
            {
                RollSegment();
            }
            finally
            {
                _indexLock.ExitWriteLock();
            }
        }
        var locations = new List<RecordLocation>(copied.Count);
        foreach (var (from, bytes) in copied)
        {
            // An entry's copy is marked as such; hard states and compaction marks are copied as they were.
            if ((WalRecordType)bytes[8] == WalRecordType.Entry)
            {
                bytes[8] = (byte)WalRecordType.EntryCopy;
            }
            bytes[9] = 0; // the copy's batch is marked once it is complete
            BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(4), Crc32C.Compute(bytes.AsSpan(WalRecordHeader.PrefixSize)));
            locations.Add(new RecordLocation(_active, _active.Length + _buffer.WrittenCount, bytes.Length, from.Sequence));
            _lastRecordStart = _buffer.WrittenCount;
            _buffer.Write(bytes);
        }
        WriteBufferDurably();
        _indexLock.EnterWriteLock();
        try
        {
            for (var i = 0; i < moves.Count; i++)
            {
                moves[i](locations[i]);
            }
        }
        finally
        {
            _indexLock.ExitWriteLock();
        }
        _log.WalSegmentRewritten(segment.File.Name, copied.Count, _buffer.WrittenCount);
        _buffer.ResetWrittenCount();
    }

    private static byte[] ReadRecord(RecordLocation location)
    {
        var bytes = new byte[location.Length];
        var read = location.Segment.File.Read(location.Offset, bytes);
        Invariant.Check(read == bytes.Length, $"short read of {location.Segment.File.Name} at {location.Offset}");
        return bytes;
    }

    private void DeleteSegment(WalSegment segment)
    {
        Invariant.Check(segment.LiveRecords == 0, $"{segment.File.Name} still has {segment.LiveRecords} live records");
        _indexLock.EnterWriteLock();
        try
        {
            _segments.Remove(segment.Id);
        }
        finally
        {
            _indexLock.ExitWriteLock();
        }
        var name = segment.File.Name;
        segment.File.Dispose();
        _storage.Delete(name);
        _log.WalSegmentDeleted(name);
    }
}
