namespace AkkaKv.Persistence;

/// <summary>A shard's log range: entries <c>Compacted+1 .. Last</c> exist; <see cref="CompactedTerm"/> is the term at <c>Compacted</c>.</summary>
public readonly record struct JournalBounds(LogIndex Compacted, Term CompactedTerm, LogIndex Last)
{
    /// <summary>The first entry that exists (may exceed <see cref="Last"/> when the log is empty).</summary>
    public LogIndex First => Compacted.Next();

    /// <summary>True when no entry exists.</summary>
    public bool IsEmpty => Last <= Compacted;
}
