namespace AkkaKv.Raft;

/// <summary>
/// The work the host must do for a <see cref="RaftNode"/>, in this order (the etcd contract):
/// <list type="number">
/// <item>send <see cref="Messages"/> at once (the leader's replication, which depends on nothing unpersisted —
/// the leader writes its own disk in parallel, thesis §10.2.1);</item>
/// <item>store <see cref="SnapshotChunks"/>; make <see cref="HardState"/>, <see cref="Entries"/> and
/// <see cref="Snapshot"/> durable (entries replace any existing entries from their first index on);</item>
/// <item>only then send <see cref="MessagesAfterPersist"/> (votes and acknowledgements that promise durability);</item>
/// <item>apply <see cref="CommittedEntries"/> in order, answer <see cref="ReadStates"/> once applied far enough;</item>
/// <item>call <see cref="RaftNode.Advance"/> with this ready.</item>
/// </list>
/// </summary>
public sealed record Ready
{
    /// <summary>The hard state to persist, when it changed.</summary>
    public RaftHardState? HardState { get; init; }

    /// <summary>Entries to append durably.</summary>
    public IReadOnlyList<RaftEntry> Entries { get; init; } = [];

    /// <summary>Chunks of an incoming snapshot to store before <see cref="MessagesAfterPersist"/> are sent.</summary>
    public IReadOnlyList<ReceivedSnapshotChunk> SnapshotChunks { get; init; } = [];

    /// <summary>A fully received snapshot to install: restore the state machine from it and drop the log up to its index.</summary>
    public RaftSnapshotMeta? Snapshot { get; init; }

    /// <summary>Messages to send now, before persisting.</summary>
    public IReadOnlyList<RaftMessage> Messages { get; init; } = [];

    /// <summary>Messages to send only after this ready's state is durable.</summary>
    public IReadOnlyList<RaftMessage> MessagesAfterPersist { get; init; } = [];

    /// <summary>Committed entries to apply to the state machine, in index order.</summary>
    public IReadOnlyList<RaftEntry> CommittedEntries { get; init; } = [];

    /// <summary>Confirmed reads (ReadIndex).</summary>
    public IReadOnlyList<ReadState> ReadStates { get; init; } = [];

    /// <summary>True when there is something to persist (the host must wait for durability before <see cref="MessagesAfterPersist"/>).</summary>
    public bool MustPersist => HardState is not null || Entries.Count > 0 || Snapshot is not null || SnapshotChunks.Count > 0;

    /// <summary>
    /// True when this ready's state must be durable before the host goes on (steps 3–5): it has entries, a snapshot
    /// or chunks of one, or its hard state changed the term or the vote. When only the commit index changed, the
    /// host may write the hard state without waiting for it (etcd's <c>MustSync</c>): the entries it points at are
    /// already durable, and a commit index lost in a crash is learned again from the leader (or, for a group of
    /// one, by committing the new term's first entry).
    /// </summary>
    public bool MustSync { get; init; } = true;
}
