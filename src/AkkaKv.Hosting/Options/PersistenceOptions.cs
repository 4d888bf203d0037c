using System.ComponentModel.DataAnnotations;
using AkkaKv.Hosting.Hocon;
using Microsoft.Extensions.Configuration;

namespace AkkaKv.Hosting.Options;

/// <summary>The node's write-ahead log and snapshots (<c>akkakv.persistence</c>).</summary>
public sealed record PersistenceOptions : IValidatableObject
{
    public const string Section = "akkakv:persistence";

    /// <summary>A new WAL segment file is started when the current one reaches this size.</summary>
    [ConfigurationKeyName("wal-segment-size")]
    public ByteSize WalSegmentSize { get; init; } = ByteSize.FromMebibytes(64);

    /// <summary>Most bytes one group commit writes (one write, one fsync).</summary>
    [ConfigurationKeyName("wal-max-batch-size")]
    public ByteSize WalMaxBatchSize { get; init; } = ByteSize.FromMebibytes(4);

    /// <summary>Recently written entries kept in memory for reads.</summary>
    [ConfigurationKeyName("wal-cache-size")]
    public ByteSize WalCacheSize { get; init; } = ByteSize.FromMebibytes(64);

    /// <summary>A group commit whose write and fsync take at least this long is logged as a warning.</summary>
    [ConfigurationKeyName("wal-slow-flush-warning"), Range(typeof(TimeSpan), "00:00:00", "1.00:00:00")]
    public TimeSpan WalSlowFlushWarning { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>Segment files are written at full size (zeros) before use, so group commits overwrite allocated blocks.</summary>
    [ConfigurationKeyName("wal-preallocate")]
    public bool WalPreallocate { get; init; } = true;

    /// <summary>Repair mode: keep the log up to damage found during recovery and discard the rest, instead of refusing to start.</summary>
    [ConfigurationKeyName("wal-truncate-after-corruption")]
    public bool WalTruncateAfterCorruption { get; init; }

    /// <summary>Snapshots kept per shard.</summary>
    [ConfigurationKeyName("snapshots-retain"), Range(1, 100)]
    public int SnapshotsRetain { get; init; } = 2;

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (WalSegmentSize.Bytes < 64 * 1024)
        {
            yield return new ValidationResult("must be at least 64KiB", [nameof(WalSegmentSize)]);
        }
        if (WalMaxBatchSize.Bytes < 64 * 1024 || WalMaxBatchSize.Bytes > int.MaxValue)
        {
            yield return new ValidationResult("must be between 64KiB and 2GiB", [nameof(WalMaxBatchSize)]);
        }
        if (WalCacheSize.Bytes < 0)
        {
            yield return new ValidationResult("must not be negative", [nameof(WalCacheSize)]);
        }
    }
}
