using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Configuration;

namespace AkkaKv.Hosting.Options;

/// <summary>Shards of the key space (<c>akkakv.sharding</c>).</summary>
public sealed record ShardingOptions
{
    public const string Section = "akkakv:sharding";

    /// <summary>Number of hash shards. Fixed for the life of the data: changing it re-homes keys.</summary>
    [ConfigurationKeyName("shard-count"), Range(1, 4096)]
    public int ShardCount { get; init; } = 64;

    /// <summary>A shard snapshots its state (and compacts its journal) after this many applied entries.</summary>
    [ConfigurationKeyName("snapshot-every-entries"), Range(1, 100_000_000)]
    public int SnapshotEveryEntries { get; init; } = 10_000;

    /// <summary>A shard also snapshots after this many bytes of applied writes (bounds the journal for large values).</summary>
    [ConfigurationKeyName("snapshot-every-bytes")]
    public Hocon.ByteSize SnapshotEveryBytes { get; init; } = Hocon.ByteSize.FromMebibytes(64);

    /// <summary>Write outcomes each shard remembers for Idempotency-Key retries.</summary>
    [ConfigurationKeyName("idempotency-capacity"), Range(0, 100_000_000)]
    public int IdempotencyCapacity { get; init; } = 100_000;

    /// <summary>How long a write outcome is remembered for retries.</summary>
    [ConfigurationKeyName("idempotency-retention"), Range(typeof(TimeSpan), "00:00:01", "30.00:00:00")]
    public TimeSpan IdempotencyRetention { get; init; } = TimeSpan.FromHours(24);
}
