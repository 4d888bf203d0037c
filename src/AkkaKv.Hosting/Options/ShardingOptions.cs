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

    /// <summary>Voters per shard (fewer while the cluster has fewer nodes; raised as nodes join).</summary>
    [ConfigurationKeyName("replicas"), Range(1, 7)]
    public int Replicas { get; init; } = 3;

    /// <summary>Voters of the placement group, the coordinator's own Raft group (fewer while the cluster has fewer nodes).</summary>
    [ConfigurationKeyName("placement-replicas"), Range(1, 7)]
    public int PlacementReplicas { get; init; } = 5;

    /// <summary>How long a node may be unreachable or downed before its replicas are replaced on other nodes.</summary>
    [ConfigurationKeyName("replace-down-after"), Range(typeof(TimeSpan), "00:00:00", "7.00:00:00")]
    public TimeSpan ReplaceDownAfter { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Shards whose membership may be changing at once (a learner catching up counts).</summary>
    [ConfigurationKeyName("max-concurrent-moves"), Range(1, 4096)]
    public int MaxConcurrentMoves { get; init; } = 16;

    /// <summary>How often the coordinator plans a round of moves.</summary>
    [ConfigurationKeyName("rebalance-interval"), Range(typeof(TimeSpan), "00:00:00.010", "01:00:00")]
    public TimeSpan RebalanceInterval { get; init; } = TimeSpan.FromMilliseconds(500);

    /// <summary>How long a replica no configuration lists is kept before it is stopped and its data deleted.</summary>
    [ConfigurationKeyName("removed-replica-grace"), Range(typeof(TimeSpan), "00:00:01", "7.00:00:00")]
    public TimeSpan RemovedReplicaGrace { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>A learner is promoted once it is within this many entries of its leader's commit index.</summary>
    [ConfigurationKeyName("learner-max-lag"), Range(0, 1_000_000)]
    public int LearnerMaxLag { get; init; } = 100;
}
