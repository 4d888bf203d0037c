namespace AkkaKv.Raft;

/// <summary>
/// What a <see cref="RaftNode"/> reads of its durable state: entries the host persisted, and the newest snapshot.
/// The core never writes through it; the host persists what <see cref="Ready"/> asks for.
/// </summary>
public interface IRaftLogReader
{
    /// <summary>The persisted hard state.</summary>
    RaftHardState HardState { get; }

    /// <summary>The membership as of the newest snapshot (conf changes after it are replayed from the log); the host's state machine is restored from that snapshot.</summary>
    ConfState SnapshotConf { get; }

    /// <summary>The index after the last compacted entry (the snapshot index + 1).</summary>
    LogIndex FirstIndex { get; }

    /// <summary>The last persisted index (the snapshot index when the log is empty).</summary>
    LogIndex LastIndex { get; }

    /// <summary>The term of the entry at <paramref name="index"/>, or of the snapshot at its index; null when compacted or absent.</summary>
    Term? TermAt(LogIndex index);

    /// <summary>Entries from <paramref name="from"/> to <paramref name="to"/> inclusive, stopping once <paramref name="maxBytes"/> is reached (at least one is returned).</summary>
    IReadOnlyList<RaftEntry> Entries(LogIndex from, LogIndex to, long maxBytes);

    /// <summary>The newest snapshot, or null when none was taken.</summary>
    RaftSnapshotMeta? Snapshot { get; }

    /// <summary>Up to <paramref name="maxBytes"/> bytes of <paramref name="snapshot"/>'s data from <paramref name="offset"/>; null when that snapshot is gone.</summary>
    ReadOnlyMemory<byte>? ReadSnapshotChunk(RaftSnapshotMeta snapshot, long offset, int maxBytes);
}
