using AkkaKv.Persistence.Storage;

namespace AkkaKv.Persistence.Wal;

/// <summary>
/// Preallocated segments (<see cref="WalOptions.PreallocateSegments"/>): the next segment file is written at full
/// size, header and zeros, and fsynced under a temporary name before the log needs it; a roll renames it into place.
/// Only the active segment has an unwritten (zero) tail: a roll cuts the finished segment to its records first, and
/// recovery reads a zero tail of the last segment as the log's end.
/// </summary>
public sealed partial class NodeWal
{
    /// <summary>The segment being prepared, or ready, under this name; recovery deletes a leftover one.</summary>
    internal const string PreparedSegmentName = "next-segment.tmp";

    private const int ZeroChunkBytes = 1024 * 1024;

    private readonly Lock _preparedLock = new();
    private readonly SemaphoreSlim _prepareRequested = new(0, 1);
    private Thread? _preparer;
    private bool _preparedReady;       // guarded by _preparedLock
    private volatile bool _preparerStopping;

    /// <summary>Starts the background preparer (threaded mode) and asks it for the first file.</summary>
    private void StartPreparer()
    {
        if (!_options.PreallocateSegments)
        {
            return;
        }
        _preparer = new Thread(PreparerLoop) { IsBackground = true, Name = "akkakv-wal-prepare" };
        _preparer.Start();
        RequestPreparation();
    }

    private void RequestPreparation()
    {
        if (_preparer is null)
        {
            return;
        }
        try
        {
            _prepareRequested.Release();
        }
        catch (SemaphoreFullException)
        {
            // a request is already pending
        }
    }

    private void PreparerLoop()
    {
        while (true)
        {
            _prepareRequested.Wait();
            if (_preparerStopping)
            {
                return;
            }
            lock (_preparedLock)
            {
                if (_preparedReady)
                {
                    continue;
                }
            }
            var ready = PrepareSegmentFile();
            lock (_preparedLock)
            {
                _preparedReady = ready;
            }
        }
    }

    private void StopPreparer()
    {
        if (_preparer is null)
        {
            return;
        }
        _preparerStopping = true;
        RequestPreparation();
        _preparer.Join();
        _preparer = null;
    }

    /// <summary>
    /// The segment file for <paramref name="id"/>, prepared at full size, renamed into place; null when preallocation
    /// is off or no prepared file is ready (the caller then creates an empty one). In manual mode the file is prepared
    /// here, on the caller's thread, so a simulation stays deterministic.
    /// </summary>
    private IWalFile? TakePreparedSegment(long id)
    {
        if (!_options.PreallocateSegments)
        {
            return null;
        }
        bool ready;
        lock (_preparedLock)
        {
            ready = _preparedReady;
            _preparedReady = false;
        }
        if (!ready && _preparer is null)
        {
            ready = PrepareSegmentFile();
        }
        if (!ready)
        {
            RequestPreparation();
            return null;
        }
        var name = WalSegment.NameOf(id);
        _storage.Rename(PreparedSegmentName, name);
        RequestPreparation();
        return _storage.Open(name, create: false);
    }

    /// <summary>
    /// Writes the prepared file: the segment header, then zeros up to the segment size, flushed chunk by chunk, so
    /// the blocks are allocated and written before any record lands in them. False (logged) when the disk refuses; the log then goes
    /// on with empty segments.
    /// </summary>
    private bool PrepareSegmentFile()
    {
        try
        {
            using var file = _storage.Open(PreparedSegmentName, create: true);
            WalSegment.Initialize(file);
            var zeros = new byte[(int)Math.Min(ZeroChunkBytes, _options.SegmentBytes)];
            for (long offset = WalSegment.HeaderSize; offset < _options.SegmentBytes; offset += zeros.Length)
            {
                file.Write(offset, zeros.AsSpan(0, (int)Math.Min(zeros.Length, _options.SegmentBytes - offset)));
                // One chunk at a time: a single flush of the whole file would queue tens of MiB at the disk ahead
                // of the active segment's group commits (measured: a 1.3 s stall for 64 MiB).
                file.Flush();
            }
            return true;
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            _log.WalPreallocationFailed(_storage.Location, exception);
            try
            {
                _storage.Delete(PreparedSegmentName);
            }
            catch (Exception cleanup) when (cleanup is IOException or UnauthorizedAccessException)
            {
                // the next preparation truncates it anyway
            }
            return false;
        }
    }

    /// <summary>Deletes a prepared file left by an earlier run: it may be incomplete, and making a new one is cheap.</summary>
    private void DeleteLeftoverPreparedSegment()
    {
        if (_storage.List().Contains(PreparedSegmentName))
        {
            _storage.Delete(PreparedSegmentName);
        }
    }

    /// <summary>A new segment: a prepared one when available, otherwise an empty file with a header.</summary>
    private IWalFile CreateSegmentFile(long id)
    {
        if (TakePreparedSegment(id) is { } prepared)
        {
            return prepared;
        }
        var file = _storage.Open(WalSegment.NameOf(id), create: true);
        WalSegment.Initialize(file);
        return file;
    }

    /// <summary>
    /// Before the log moves on from the active segment, cuts its unwritten zero tail (durably), so only the last
    /// segment can end in zeros and recovery keeps refusing damage anywhere else.
    /// </summary>
    private void TrimActiveSegment()
    {
        if (_active.File.Length > _active.Length)
        {
            _active.File.Truncate(_active.Length);
        }
    }
}
