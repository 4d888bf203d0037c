using System.ComponentModel.DataAnnotations;

namespace AkkaKv.Persistence.Wal;

/// <summary>Settings of the node write-ahead log (HOCON <c>akkakv.persistence.wal</c>).</summary>
public sealed record WalOptions
{
    /// <summary>A new segment file is started once the current one reaches this size, in bytes.</summary>
    [Range(4096, long.MaxValue)]
    public long SegmentBytes { get; init; } = 64L * 1024 * 1024;

    /// <summary>Largest record accepted (header + payload), in bytes; a bigger length on disk is damage.</summary>
    [Range(1024, 1024 * 1024 * 1024)]
    public int MaxRecordBytes { get; init; } = 32 * 1024 * 1024;

    /// <summary>Most bytes written by one group commit (one write, one fsync).</summary>
    [Range(4096, int.MaxValue)]
    public int MaxBatchBytes { get; init; } = 4 * 1024 * 1024;

    /// <summary>Bytes of recently appended entry payloads kept in memory for reads.</summary>
    [Range(0, long.MaxValue)]
    public long CacheBytes { get; init; } = 64L * 1024 * 1024;

    /// <summary>
    /// The oldest segment is rewritten forward (its live records copied, the file deleted) once fewer than this
    /// fraction of its bytes are live.
    /// </summary>
    [Range(0.0, 1.0)]
    public double RewriteBelowLiveFraction { get; init; } = 0.5;

    /// <summary>
    /// A group commit whose write and fsync take at least this long is logged as a warning with its duration (the
    /// disk stalled: every write waiting on it was delayed as long). Zero warns of every flush.
    /// </summary>
    public TimeSpan SlowFlushWarning { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// Creates each segment file at its full size, filled with zeros, before the log writes to it: group commits
    /// then overwrite blocks that are already allocated, and each fdatasync flushes the data alone instead of also
    /// committing a file-size change to the filesystem's journal (about half the latency on ext4). The next segment
    /// is prepared ahead of need (by a background thread; inline when the log is driven manually).
    /// </summary>
    public bool PreallocateSegments { get; init; }

    /// <summary>
    /// How recovery treats damage outside the tail of the last segment: <c>false</c> (default) stops the node;
    /// <c>true</c> keeps everything before the damage and discards the rest (the documented repair).
    /// </summary>
    public bool TruncateAfterCorruption { get; init; }
}
