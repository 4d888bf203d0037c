using System.ComponentModel.DataAnnotations;

namespace AkkaKv.Raft;

/// <summary>Tuning of one Raft replica, counted in logical ticks (the host decides how long a tick is).</summary>
public sealed record RaftOptions
{
    /// <summary>Ticks without leader contact before a follower campaigns; the actual timeout is random in [n, 2n). Default 10.</summary>
    [Range(3, 10_000)]
    public int ElectionTicks { get; init; } = 10;

    /// <summary>Ticks between leader heartbeats; must be below <see cref="ElectionTicks"/>. Default 1.</summary>
    [Range(1, 1_000)]
    public int HeartbeatTicks { get; init; } = 1;

    /// <summary>Campaign only after a pre-vote round shows a majority would vote (thesis §9.6). Default on.</summary>
    public bool PreVote { get; init; } = true;

    /// <summary>A leader that hears from no quorum within an election timeout steps down; followers in contact with a leader ignore votes. Default on.</summary>
    public bool CheckQuorum { get; init; } = true;

    /// <summary>Upper bound of entry bytes per AppendEntries message. Default 1 MiB.</summary>
    [Range(1, int.MaxValue)]
    public long MaxMessageBytes { get; init; } = 1024 * 1024;

    /// <summary>AppendEntries messages in flight to one follower (pipelining window). Default 256.</summary>
    [Range(1, 65_536)]
    public int MaxInflightMessages { get; init; } = 256;

    /// <summary>Upper bound of committed entry bytes handed out per ready. Default 4 MiB.</summary>
    [Range(1, long.MaxValue)]
    public long MaxCommittedBytesPerReady { get; init; } = 4 * 1024 * 1024;

    /// <summary>Upper bound of proposed but uncommitted entry bytes at a leader; proposals beyond are dropped (backpressure). Default 64 MiB.</summary>
    [Range(1, long.MaxValue)]
    public long MaxUncommittedBytes { get; init; } = 64 * 1024 * 1024;

    /// <summary>Bytes per InstallSnapshot chunk. Default 1 MiB.</summary>
    [Range(1, 64 * 1024 * 1024)]
    public int SnapshotChunkBytes { get; init; } = 1024 * 1024;

    /// <summary>
    /// Serve linearizable reads from a leader lease instead of a heartbeat round: valid while a quorum was heard
    /// within <c>ElectionTicks - LeaseDriftMarginTicks</c> ticks. Requires <see cref="CheckQuorum"/>. Default off.
    /// </summary>
    public bool LeaseReads { get; init; }

    /// <summary>Ticks of clock drift the lease allows for between replicas. Default 2.</summary>
    [Range(1, 10_000)]
    public int LeaseDriftMarginTicks { get; init; } = 2;

    /// <summary>
    /// Ticks a leader's group must be idle (all committed, applied and on every member, nothing pending) before it
    /// quiesces: no heartbeats, no election timers, until something wakes it. 0 (the default) never quiesces.
    /// </summary>
    [Range(0, 1_000_000)]
    public int QuiesceAfterTicks { get; init; }

    /// <summary>
    /// Ticks between a quiescent leader's repeated quiescing heartbeats; a quiescent follower that hears none for three
    /// times this wakes (the fallback when the host does not wake it on a membership change). Default 50.
    /// </summary>
    [Range(1, 1_000_000)]
    public int QuiescentHeartbeatTicks { get; init; } = 50;

    /// <summary>Deliberately broken behaviours switched on by tests only (see <see cref="RaftDefects"/>); none by default.</summary>
    internal RaftDefects Defects { get; init; }

    /// <summary>Cross-field rules; returns the problems found (empty when valid).</summary>
    public IReadOnlyList<string> Validate()
    {
        var problems = new List<string>();
        if (HeartbeatTicks >= ElectionTicks)
        {
            problems.Add($"heartbeat ticks ({HeartbeatTicks}) must be below election ticks ({ElectionTicks})");
        }
        if (LeaseReads && !CheckQuorum)
        {
            problems.Add("lease reads require check-quorum");
        }
        if (LeaseReads && LeaseDriftMarginTicks >= ElectionTicks)
        {
            problems.Add($"lease drift margin ({LeaseDriftMarginTicks}) must be below election ticks ({ElectionTicks})");
        }
        if (QuiesceAfterTicks > 0 && QuiesceAfterTicks < ElectionTicks)
        {
            problems.Add($"quiesce-after ticks ({QuiesceAfterTicks}) must be at least election ticks ({ElectionTicks})");
        }
        if (QuiesceAfterTicks > 0 && QuiescentHeartbeatTicks < ElectionTicks)
        {
            problems.Add($"quiescent heartbeat ticks ({QuiescentHeartbeatTicks}) must be at least election ticks ({ElectionTicks})");
        }
        return problems;
    }
}
