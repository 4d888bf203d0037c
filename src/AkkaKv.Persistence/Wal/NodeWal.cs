using System.Buffers;
using System.Threading.Channels;
using AkkaKv.Persistence.Storage;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace AkkaKv.Persistence.Wal;

/// <summary>
/// The node's write-ahead log, shared by every shard replica on the node. One writer thread takes all pending
/// requests at once, writes them with one write and one fsync (group commit), updates the in-memory index and only
/// then completes the callers. Segments roll at <see cref="WalOptions.SegmentBytes"/>; space is reclaimed from the
/// oldest segment only, by deleting it once nothing in it is live or by copying its live records forward first.
/// </summary>
public sealed partial class NodeWal : IJournal
{
    private readonly IWalStorage _storage;
    private readonly WalOptions _options;
    private readonly ILogger _log;
    private readonly ReaderWriterLockSlim _indexLock = new(LockRecursionPolicy.NoRecursion);
    private readonly Dictionary<ShardId, ShardLog> _shards = [];
    private readonly SortedDictionary<long, WalSegment> _segments = [];
    private readonly Queue<IndexedEntry> _cacheOrder = new();
    private readonly Channel<WalRequest> _requests = Channel.CreateUnbounded<WalRequest>(new UnboundedChannelOptions { SingleReader = true });
    private readonly ArrayBufferWriter<byte> _buffer = new(64 * 1024);
    private readonly Thread _writer;
    private WalSegment _active = null!;
    private ulong _nextSequence = 1;
    private long _cachedBytes;
    private volatile Exception? _failure;

    private NodeWal(IWalStorage storage, WalOptions options, ILogger log)
    {
        _storage = storage;
        _options = options;
        _log = log;
        _writer = new Thread(WriterLoop) { IsBackground = true, Name = "akkakv-wal" };
    }

    private long _flushCount;
    private long _requestCount;
    private long _bytesWritten;
    private long _flushTicks;

    /// <summary>What the writer has done so far; readable from any thread (for metrics).</summary>
    public WalStatistics Statistics => new(
        Interlocked.Read(ref _flushCount),
        Interlocked.Read(ref _requestCount),
        Interlocked.Read(ref _bytesWritten),
        System.Diagnostics.Stopwatch.GetElapsedTime(0, Interlocked.Read(ref _flushTicks)));

    /// <summary>Number of segment files.</summary>
    public int SegmentCount
    {
        get
        {
            _indexLock.EnterReadLock();
            try
            {
                return _segments.Count;
            }
            finally
            {
                _indexLock.ExitReadLock();
            }
        }
    }

    /// <summary>Recovers the log in <paramref name="storage"/> (rebuilding the index, cutting a torn tail) and starts the writer.</summary>
    /// <exception cref="WalCorruptionException">Damage outside the tail of the last segment.</exception>
    public static NodeWal Open(IWalStorage storage, WalOptions? options = null, ILogger? logger = null)
    {
        ArgumentNullException.ThrowIfNull(storage);
        var wal = new NodeWal(storage, options ?? new WalOptions(), logger ?? NullLogger.Instance);
        wal.Recover();
        wal._writer.Start();
        wal.StartPreparer();
        return wal;
    }

    /// <summary>
    /// Recovers the log like <see cref="Open"/> but starts no writer thread: nothing becomes durable until the owner
    /// calls <see cref="FlushPending"/>. For deterministic simulation, where the simulator decides when each fsync
    /// completes (and what a crash loses).
    /// </summary>
    public static NodeWal OpenManual(IWalStorage storage, WalOptions? options = null, ILogger? logger = null)
    {
        ArgumentNullException.ThrowIfNull(storage);
        var wal = new NodeWal(storage, options ?? new WalOptions(), logger ?? NullLogger.Instance);
        wal.Recover();
        return wal;
    }

    public Task AppendAsync(ShardId shard, IReadOnlyList<JournalEntry> entries, HardState? hardState = null)
    {
        ValidateAppend(entries);
        return Submit(new AppendRequest(shard, entries, hardState));
    }

    public void Append(ShardId shard, IReadOnlyList<JournalEntry> entries, HardState? hardState, Action<Exception?> onDone)
    {
        ArgumentNullException.ThrowIfNull(onDone);
        ValidateAppend(entries);
        Submit(new AppendRequest(shard, entries, hardState) { Callback = onDone });
    }

    public void RecordCommit(ShardId shard, HardState hardState, Action<Exception> onFailed)
    {
        ArgumentNullException.ThrowIfNull(onFailed);
        Submit(new AppendRequest(shard, [], hardState)
        {
            Unsynced = true,
            Callback = cause =>
            {
                if (cause is not null)
                {
                    onFailed(cause);
                }
            },
        });
    }

    private void ValidateAppend(IReadOnlyList<JournalEntry> entries)
    {
        ArgumentNullException.ThrowIfNull(entries);
        for (var i = 1; i < entries.Count; i++)
        {
            if (entries[i].Index != entries[i - 1].Index.Next())
            {
                throw new ArgumentException($"entries must be contiguous: {entries[i - 1].Index} is followed by {entries[i].Index}", nameof(entries));
            }
        }
        foreach (var entry in entries)
        {
            if (entry.Payload.Length + WalRecordHeader.Size > _options.MaxRecordBytes)
            {
                throw new ArgumentException($"entry {entry.Index} of {entry.Payload.Length} bytes exceeds the record limit of {_options.MaxRecordBytes} bytes", nameof(entries));
            }
        }
    }

    public Task TruncateSuffixAsync(ShardId shard, LogIndex from) => Submit(new TruncateRequest(shard, from));

    public Task CompactAsync(ShardId shard, LogIndex upTo, Term term) => Submit(new CompactRequest(shard, upTo, term));

    public void TruncateSuffix(ShardId shard, LogIndex from, Action<Exception?> onDone)
    {
        ArgumentNullException.ThrowIfNull(onDone);
        Submit(new TruncateRequest(shard, from) { Callback = onDone });
    }

    public void Compact(ShardId shard, LogIndex upTo, Term term, Action<Exception?> onDone)
    {
        ArgumentNullException.ThrowIfNull(onDone);
        Submit(new CompactRequest(shard, upTo, term) { Callback = onDone });
    }

    public Task RemoveShardAsync(ShardId shard) => Submit(new RemoveShardRequest(shard));

    public void RemoveShard(ShardId shard, Action<Exception?> onDone)
    {
        ArgumentNullException.ThrowIfNull(onDone);
        Submit(new RemoveShardRequest(shard) { Callback = onDone });
    }

    public IReadOnlyCollection<ShardId> Shards => WithReadLock(() => (IReadOnlyCollection<ShardId>)[.. _shards.Keys]);

    public JournalBounds Bounds(ShardId shard) =>
        WithReadLock(() => _shards.TryGetValue(shard, out var log) ? log.Bounds : default);

    public Term? TermAt(ShardId shard, LogIndex index) => WithReadLock(() =>
    {
        if (!_shards.TryGetValue(shard, out var log))
        {
            return index == LogIndex.Zero ? Term.Zero : (Term?)null;
        }
        if (index == log.Compacted)
        {
            return log.CompactedTerm;
        }
        return log.At(index)?.Term;
    });

    public HardState? GetHardState(ShardId shard) =>
        WithReadLock(() => _shards.TryGetValue(shard, out var log) ? log.HardState : null);

    public IReadOnlyList<JournalEntry> Read(ShardId shard, LogIndex from, LogIndex to, long maxBytes = long.MaxValue)
    {
        ThrowIfFailed();
        _indexLock.EnterReadLock();
        try
        {
            if (!_shards.TryGetValue(shard, out var log) || from > to)
            {
                return [];
            }
            if (from <= log.Compacted || to > log.Last)
            {
                throw new ArgumentOutOfRangeException(nameof(from), $"{shard}: entries {from}..{to} are outside {log.Compacted.Next()}..{log.Last}");
            }
            var result = new List<JournalEntry>();
            long bytes = 0;
            for (var index = from; index <= to; index = index.Next())
            {
                var entry = log.At(index)!;
                if (result.Count > 0 && bytes + entry.PayloadLength > maxBytes)
                {
                    break;
                }
                result.Add(new JournalEntry(index, entry.Term, entry.Cached ?? ReadPayload(entry.Location)));
                bytes += entry.PayloadLength;
            }
            return result;
        }
        finally
        {
            _indexLock.ExitReadLock();
        }
    }

    /// <summary>Stops accepting requests, finishes the pending ones, and closes the files.</summary>
    public async ValueTask DisposeAsync()
    {
        _requests.Writer.TryComplete();
        if (_writer.IsAlive)
        {
            await Task.Run(() => _writer.Join()).ConfigureAwait(false);
            await Task.Run(StopPreparer).ConfigureAwait(false);
        }
        else
        {
            while (FlushPending())
            {
                // manual mode: finish what is pending, as the writer thread would
            }
        }
        if (_failure is null)
        {
            try
            {
                SyncActive(); // a clean stop leaves even the commit indexes on disk
            }
            catch (IOException exception)
            {
                _log.WalWriteFailed(_active.File.Name, exception);
            }
        }
        foreach (var segment in _segments.Values)
        {
            segment.File.Dispose();
        }
        _indexLock.Dispose();
        _prepareRequested.Dispose();
    }

    private Task Submit(WalRequest request)
    {
        // The task exists before the request is queued, so the writer's completion always has someone to reach.
        var task = request.Callback is null ? request.Task : Task.CompletedTask;
        if (_failure is { } failure)
        {
            request.Fail(new WalFailedException("the write-ahead log failed earlier and accepts no more writes", failure));
        }
        else if (!_requests.Writer.TryWrite(request))
        {
            request.Fail(new ObjectDisposedException(nameof(NodeWal), "the write-ahead log is closed"));
        }
        return task;
    }

    private static byte[] ReadPayload(RecordLocation location)
    {
        var payload = new byte[location.Length - WalRecordHeader.Size];
        var read = location.Segment.File.Read(location.Offset + WalRecordHeader.Size, payload);
        Invariant.Check(read == payload.Length, $"short read of {location.Segment.File.Name} at {location.Offset}");
        return payload;
    }

    private T WithReadLock<T>(Func<T> read)
    {
        _indexLock.EnterReadLock();
        try
        {
            return read();
        }
        finally
        {
            _indexLock.ExitReadLock();
        }
    }

    private void ThrowIfFailed()
    {
        if (_failure is { } failure)
        {
            throw new WalFailedException("the write-ahead log failed earlier", failure);
        }
    }

    private ShardLog LogOf(ShardId shard)
    {
        if (!_shards.TryGetValue(shard, out var log))
        {
            _shards[shard] = log = new ShardLog();
        }
        return log;
    }
}
