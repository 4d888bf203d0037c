using System.Buffers.Binary;

namespace AkkaKv.Persistence.Wal;

/// <summary>The writer thread: group commit, then space reclamation while idle.</summary>
public sealed partial class NodeWal
{
    private const int HardStatePayloadSize = 16;
    private int _lastRecordStart;
    private bool _activeUnsynced; // the active segment has records written after its last fsync

    private void WriterLoop()
    {
        var batch = new List<WalRequest>();
        var reader = _requests.Reader;
        while (reader.WaitToReadAsync().AsTask().GetAwaiter().GetResult())
        {
            WriteOnce(reader, batch);
        }
    }

    /// <summary>
    /// Manual mode (<see cref="OpenManual"/>): performs one group commit of everything pending, on the caller's
    /// thread, completing the requests (and running their callbacks) before returning. False when nothing was pending.
    /// </summary>
    public bool FlushPending()
    {
        Invariant.Check(!_writer.IsAlive, "FlushPending is for a log opened with OpenManual");
        var reader = _requests.Reader;
        if (!reader.TryPeek(out _))
        {
            return false;
        }
        WriteOnce(reader, []);
        return true;
    }

    /// <summary>True when requests wait for the next group commit (manual mode).</summary>
    public bool HasPending => _requests.Reader.TryPeek(out _);

    private void WriteOnce(System.Threading.Channels.ChannelReader<WalRequest> reader, List<WalRequest> batch)
    {
        batch.Clear();
        _buffer.ResetWrittenCount();
        if (_failure is not null)
        {
            FailPending(reader);
            return;
        }
        try
        {
            CommitBatch(reader, batch);
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            _failure = exception;
            _log.WalWriteFailed(_active.File.Name, exception);
            foreach (var request in batch)
            {
                request.Fail(new WalFailedException($"writing the log failed: {exception.Message}", exception));
            }
            return;
        }
        if (!reader.TryPeek(out _))
        {
            ReclaimSpace();
        }
    }

    /// <summary>Takes every pending request (up to the batch limit), writes them with one write and one fsync.</summary>
    private void CommitBatch(System.Threading.Channels.ChannelReader<WalRequest> reader, List<WalRequest> batch)
    {
        var accepted = new List<WalRequest>();
        var mustSync = false;
        _indexLock.EnterWriteLock();
        try
        {
            if (_active.Length >= _options.SegmentBytes)
            {
                RollSegment();
            }
            while (_buffer.WrittenCount < _options.MaxBatchBytes && reader.TryRead(out var request))
            {
                batch.Add(request);
                if (Prepare(request) is { } problem)
                {
                    request.Fail(new ArgumentException(problem));
                }
                else
                {
                    accepted.Add(request);
                    mustSync |= request is not AppendRequest { Unsynced: true };
                }
            }
        }
        finally
        {
            _indexLock.ExitWriteLock();
        }
        if (_buffer.WrittenCount > 0)
        {
            Interlocked.Add(ref _bytesWritten, _buffer.WrittenCount);
            if (mustSync)
            {
                // Measured, not decided on: the duration only feeds the fsync-time metric and the slow-flush warning.
                var started = System.Diagnostics.Stopwatch.GetTimestamp();
                WriteBufferDurably();
                var ticks = System.Diagnostics.Stopwatch.GetTimestamp() - started;
                Interlocked.Add(ref _flushTicks, ticks);
                if (System.Diagnostics.Stopwatch.GetElapsedTime(0, ticks) is var took && took >= _options.SlowFlushWarning)
                {
                    _log.WalSlowFlush(_active.File.Name, accepted.Count, _buffer.WrittenCount, (long)took.TotalMilliseconds);
                }
                Interlocked.Increment(ref _flushCount);
            }
            else
            {
                // Only records that need no durability (commit indexes): written now, fsynced by the next group commit.
                WriteBuffer();
                _activeUnsynced = true;
            }
        }
        Interlocked.Add(ref _requestCount, accepted.Count);
        foreach (var request in accepted)
        {
            request.Succeed();
        }
        EvictCache();
    }

    /// <summary>Validates one request against the index, encodes its records and applies them to the index; returns a problem or null.</summary>
    private string? Prepare(WalRequest request)
    {
        switch (request)
        {
            case AppendRequest append:
                var log = LogOf(append.Shard);
                if (append.Entries.Count > 0 && log.CheckAppend(append.Entries[0].Index) is { } problem)
                {
                    return $"{append.Shard}: {problem}";
                }
                foreach (var entry in append.Entries)
                {
                    var location = Encode(WalRecordType.Entry, append.Shard, NextSequence(), entry.Term, entry.Index, entry.Payload.Span);
                    var indexed = new IndexedEntry(entry.Term, location, entry.Payload);
                    log.Append(entry.Index, indexed, Uncache);
                    Cache(indexed);
                }
                if (append.HardState is { } state)
                {
                    log.SetHardState(state, EncodeHardState(append.Shard, NextSequence(), state));
                }
                return null;
            case TruncateRequest truncate:
                var truncated = LogOf(truncate.Shard);
                Encode(WalRecordType.Truncated, truncate.Shard, NextSequence(), Term.Zero, truncate.From, []);
                truncated.TruncateFrom(truncate.From, Uncache);
                return null;
            case CompactRequest compact:
                var compacted = LogOf(compact.Shard);
                var mark = Encode(WalRecordType.Compacted, compact.Shard, NextSequence(), compact.Term, compact.UpTo, []);
                compacted.CompactTo(compact.UpTo, compact.Term, mark, Uncache);
                return null;
            case RemoveShardRequest remove:
                // The mark is never live: when its segment is the oldest, nothing of the shard older than it is left.
                Encode(WalRecordType.Removed, remove.Shard, NextSequence(), Term.Zero, LogIndex.Zero, []);
                if (_shards.Remove(remove.Shard, out var removed))
                {
                    removed.ReleaseAll(Uncache);
                }
                return null;
            default:
                throw new InvalidOperationException($"Unknown WAL request {request}");
        }
    }

    private ulong NextSequence() => _nextSequence++;

    /// <summary>Appends one record to the batch buffer; its location assumes the batch lands at the active segment's end.</summary>
    private RecordLocation Encode(WalRecordType type, ShardId shard, ulong sequence, Term term, LogIndex index, ReadOnlySpan<byte> payload)
    {
        var header = new WalRecordHeader(type, shard, sequence, term, index, payload.Length);
        var offset = _active.Length + _buffer.WrittenCount;
        _lastRecordStart = _buffer.WrittenCount;
        var span = _buffer.GetSpan(header.RecordLength)[..header.RecordLength];
        header.Encode(span, payload);
        _buffer.Advance(header.RecordLength);
        return new RecordLocation(_active, offset, header.RecordLength, sequence);
    }

    private RecordLocation EncodeHardState(ShardId shard, ulong sequence, HardState state)
    {
        Span<byte> payload = stackalloc byte[HardStatePayloadSize];
        BinaryPrimitives.WriteUInt64LittleEndian(payload, state.Vote.Value);
        BinaryPrimitives.WriteUInt64LittleEndian(payload[8..], state.Commit.Value);
        return Encode(WalRecordType.HardState, shard, sequence, state.Term, LogIndex.Zero, payload);
    }

    /// <summary>Writes the group commit in the buffer at the active segment's end and fsyncs (with anything written unsynced before it).</summary>
    private void WriteBufferDurably()
    {
        WriteBuffer();
        _active.File.Flush();
        _activeUnsynced = false;
    }

    /// <summary>
    /// Ends the group commit in the buffer and writes it at the active segment's end, without an fsync. A batch
    /// written without an fsync is still a whole batch: a later fsync makes it durable with everything before it.
    /// </summary>
    private void WriteBuffer()
    {
        MarkLastRecordEndsBatch();
        _active.File.Write(_active.Length, _buffer.WrittenSpan);
        _active.Length += _buffer.WrittenCount;
    }

    /// <summary>Flags the buffer's last record as the end of this group commit (recovery's proof of what was fsynced).</summary>
    private void MarkLastRecordEndsBatch()
    {
        var written = System.Runtime.InteropServices.MemoryMarshal.AsMemory(_buffer.WrittenMemory).Span;
        WalRecordHeader.MarkEndsBatch(written[_lastRecordStart..]);
    }

    /// <summary>
    /// Fsyncs the active segment if it holds records written without an fsync. Needed before it stops being the one
    /// later group commits fsync (a roll), and before older segments are deleted or rewritten: a record that supersedes
    /// a deleted one (a hard state) must be durable first.
    /// </summary>
    private void SyncActive()
    {
        if (_activeUnsynced)
        {
            _active.File.Flush();
            _activeUnsynced = false;
        }
    }

    private void RollSegment()
    {
        SyncActive();
        TrimActiveSegment();
        var id = _active.Id + 1;
        var file = CreateSegmentFile(id);
        _storage.FlushDirectory();
        _active = new WalSegment(id, file) { Length = WalSegment.HeaderSize };
        _segments[id] = _active;
        _log.WalSegmentRolled(file.Name);
    }

    private void Cache(IndexedEntry entry)
    {
        if (_options.CacheBytes <= 0)
        {
            entry.Cached = null;
            return;
        }
        _cacheOrder.Enqueue(entry);
        _cachedBytes += entry.PayloadLength;
    }

    private void Uncache(IndexedEntry entry)
    {
        if (entry.Cached is not null)
        {
            entry.Cached = null;
            _cachedBytes -= entry.PayloadLength;
        }
    }

    /// <summary>Drops the oldest cached payloads over the budget; they are then read from their segment.</summary>
    private void EvictCache()
    {
        while (_cachedBytes > _options.CacheBytes && _cacheOrder.TryDequeue(out var oldest))
        {
            if (oldest.Cached is not null)
            {
                _indexLock.EnterWriteLock();
                try
                {
                    Uncache(oldest);
                }
                finally
                {
                    _indexLock.ExitWriteLock();
                }
            }
        }
        while (_cacheOrder.TryPeek(out var head) && head.Cached is null)
        {
            _cacheOrder.Dequeue();
        }
    }

    private void FailPending(System.Threading.Channels.ChannelReader<WalRequest> reader)
    {
        while (reader.TryRead(out var request))
        {
            request.Fail(new WalFailedException("the write-ahead log failed earlier and accepts no more writes", _failure!));
        }
    }
}
