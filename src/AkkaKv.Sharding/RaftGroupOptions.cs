using AkkaKv.Raft;

namespace AkkaKv.Sharding;

/// <summary>How a shard's Raft group replica ticks, snapshots and remembers retries.</summary>
public sealed record RaftGroupOptions
{
    /// <summary>The length of one Raft tick (election and heartbeat timeouts are counted in ticks). Default 100 ms.</summary>
    public TimeSpan TickInterval { get; init; } = TimeSpan.FromMilliseconds(100);

    /// <summary>
    /// True when the host sends <see cref="RaftTick"/> (one timer for every replica of a node, as the
    /// <see cref="ReplicaManager{TReplica}"/> does) instead of each replica running its own timer.
    /// </summary>
    public bool TickedByHost { get; init; }

    /// <summary>The Raft core's options (timeouts in ticks, flow control, PreVote, CheckQuorum, leases).</summary>
    public RaftOptions Raft { get; init; } = new();

    /// <summary>A snapshot is taken once this many entries were applied since the last one.</summary>
    public int SnapshotEveryEntries { get; init; } = 10_000;

    /// <summary>A snapshot is also taken once this many bytes of commands were applied since the last one.</summary>
    public long SnapshotEveryBytes { get; init; } = 64L * 1024 * 1024;

    /// <summary>Entries kept in the log behind a snapshot, so followers that lag a little catch up without one. Default 1000.</summary>
    public int CompactionLagEntries { get; init; } = 1_000;

    /// <summary>Write outcomes remembered per shard for idempotent retries.</summary>
    public int IdempotencyCapacity { get; init; } = 100_000;

    /// <summary>How long a write outcome is remembered.</summary>
    public TimeSpan IdempotencyRetention { get; init; } = TimeSpan.FromHours(24);

    /// <summary>An observer of role changes and applied entries (simulation checks); none by default.</summary>
    public IRaftGroupProbe? Probe { get; init; }
}
