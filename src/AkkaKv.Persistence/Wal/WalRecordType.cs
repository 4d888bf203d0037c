namespace AkkaKv.Persistence.Wal;

/// <summary>The kinds of WAL record. Stored on disk: never renumber.</summary>
internal enum WalRecordType : byte
{
    /// <summary>A log entry; replaces the entry at its index and everything after it.</summary>
    Entry = 1,

    /// <summary>A live entry copied forward out of an old segment; keeps its original sequence number.</summary>
    EntryCopy = 2,

    /// <summary>A shard's hard state (term in the header; vote and commit in the payload).</summary>
    HardState = 3,

    /// <summary>Entries up to the header's index are covered by a snapshot.</summary>
    Compacted = 4,

    /// <summary>Entries at and after the header's index are discarded.</summary>
    Truncated = 5,

    /// <summary>The shard's replica was removed from this node: everything of the shard recorded before is void.</summary>
    Removed = 6,
}
