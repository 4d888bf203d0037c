namespace AkkaKv.Raft;

/// <summary>How a leader replicates to one follower (etcd's progress states).</summary>
public enum ProgressState
{
    /// <summary>The match index is unknown: one AppendEntries at a time until one is accepted.</summary>
    Probe,

    /// <summary>The follower is in step: AppendEntries are pipelined, up to the in-flight window.</summary>
    Replicate,

    /// <summary>The follower needs entries that were compacted: a snapshot is being sent.</summary>
    Snapshot,
}
