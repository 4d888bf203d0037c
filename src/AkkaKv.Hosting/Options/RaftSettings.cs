using System.ComponentModel.DataAnnotations;
using AkkaKv.Hosting.Hocon;
using Microsoft.Extensions.Configuration;

namespace AkkaKv.Hosting.Options;

/// <summary>Raft consensus of every shard's replica group (<c>akkakv.raft</c>).</summary>
public sealed record RaftSettings : IValidatableObject
{
    public const string Section = "akkakv:raft";

    /// <summary>The length of one Raft tick; timeouts below are counted in ticks.</summary>
    [ConfigurationKeyName("tick-interval"), Range(typeof(TimeSpan), "00:00:00.001", "00:00:10")]
    public TimeSpan TickInterval { get; init; } = TimeSpan.FromMilliseconds(100);

    /// <summary>Ticks without hearing from a leader before a follower campaigns (randomized in [n, 2n)).</summary>
    [ConfigurationKeyName("election-ticks"), Range(3, 10_000)]
    public int ElectionTicks { get; init; } = 10;

    /// <summary>Ticks between a leader's heartbeats.</summary>
    [ConfigurationKeyName("heartbeat-ticks"), Range(1, 1_000)]
    public int HeartbeatTicks { get; init; } = 1;

    /// <summary>Campaign only after a pre-vote shows a majority would vote (a returning partitioned node cannot disrupt).</summary>
    [ConfigurationKeyName("pre-vote")]
    public bool PreVote { get; init; } = true;

    /// <summary>A leader that hears from no majority for an election timeout steps down.</summary>
    [ConfigurationKeyName("check-quorum")]
    public bool CheckQuorum { get; init; } = true;

    /// <summary>Serve linearizable reads from a leader lease (no heartbeat round); needs check-quorum and bounded clock drift.</summary>
    [ConfigurationKeyName("lease-reads")]
    public bool LeaseReads { get; init; }

    /// <summary>Ticks of clock drift a lease allows for.</summary>
    [ConfigurationKeyName("lease-drift-margin-ticks"), Range(1, 10_000)]
    public int LeaseDriftMarginTicks { get; init; } = 2;

    /// <summary>AppendEntries messages in flight to one follower.</summary>
    [ConfigurationKeyName("max-inflight-messages"), Range(1, 65_536)]
    public int MaxInflightMessages { get; init; } = 256;

    /// <summary>Upper bound of entry bytes in one AppendEntries message.</summary>
    [ConfigurationKeyName("max-message-size")]
    public ByteSize MaxMessageSize { get; init; } = ByteSize.FromMebibytes(1);

    /// <summary>Bytes per InstallSnapshot chunk.</summary>
    [ConfigurationKeyName("snapshot-chunk-size")]
    public ByteSize SnapshotChunkSize { get; init; } = ByteSize.FromMebibytes(1);

    /// <summary>Entries kept in the journal behind a snapshot, so followers that lag a little need no snapshot.</summary>
    [ConfigurationKeyName("compaction-lag-entries"), Range(0, 100_000_000)]
    public int CompactionLagEntries { get; init; } = 1_000;

    /// <summary>Ticks a group must be idle before it quiesces (no heartbeats, no election timers until woken); 0 never.</summary>
    [ConfigurationKeyName("quiesce-after-ticks"), Range(0, 1_000_000)]
    public int QuiesceAfterTicks { get; init; } = 20;

    /// <summary>Ticks between a quiescent leader's repeated quiescing heartbeats; followers hearing none for three times this wake.</summary>
    [ConfigurationKeyName("quiescent-heartbeat-ticks"), Range(1, 1_000_000)]
    public int QuiescentHeartbeatTicks { get; init; } = 50;

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (QuiesceAfterTicks > 0 && QuiesceAfterTicks < ElectionTicks)
        {
            yield return new ValidationResult($"must be 0 (never) or at least election-ticks ({ElectionTicks})", [nameof(QuiesceAfterTicks)]);
        }
        if (QuiesceAfterTicks > 0 && QuiescentHeartbeatTicks < ElectionTicks)
        {
            yield return new ValidationResult($"must be at least election-ticks ({ElectionTicks})", [nameof(QuiescentHeartbeatTicks)]);
        }
        if (HeartbeatTicks >= ElectionTicks)
        {
            yield return new ValidationResult($"must be below election-ticks ({ElectionTicks})", [nameof(HeartbeatTicks)]);
        }
        if (LeaseReads && !CheckQuorum)
        {
            yield return new ValidationResult("lease reads require check-quorum = on", [nameof(LeaseReads)]);
        }
        if (LeaseReads && LeaseDriftMarginTicks >= ElectionTicks)
        {
            yield return new ValidationResult($"must be below election-ticks ({ElectionTicks})", [nameof(LeaseDriftMarginTicks)]);
        }
        if (MaxMessageSize.Bytes < 1024 || MaxMessageSize.Bytes > 64L * 1024 * 1024)
        {
            yield return new ValidationResult("must be between 1KiB and 64MiB", [nameof(MaxMessageSize)]);
        }
        if (SnapshotChunkSize.Bytes < 1024 || SnapshotChunkSize.Bytes > 64L * 1024 * 1024)
        {
            yield return new ValidationResult("must be between 1KiB and 64MiB", [nameof(SnapshotChunkSize)]);
        }
    }
}
