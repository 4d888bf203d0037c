namespace AkkaKv.Sharding;

/// <summary>How a shard replica snapshots and how much it remembers for retries.</summary>
public sealed record ShardReplicaOptions
{
    /// <summary>A snapshot is taken once this many entries were applied since the last one.</summary>
    public int SnapshotEveryEntries { get; init; } = 10_000;

    /// <summary>A snapshot is also taken once this many bytes of commands were applied since the last one.</summary>
    public long SnapshotEveryBytes { get; init; } = 64L * 1024 * 1024;

    /// <summary>Write outcomes remembered per shard for idempotent retries.</summary>
    public int IdempotencyCapacity { get; init; } = 100_000;

    /// <summary>How long a write outcome is remembered.</summary>
    public TimeSpan IdempotencyRetention { get; init; } = TimeSpan.FromHours(24);
}
