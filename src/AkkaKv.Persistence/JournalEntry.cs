namespace AkkaKv.Persistence;

/// <summary>One entry of a shard's log: its position, the term that created it, and the opaque command bytes.</summary>
public readonly record struct JournalEntry(LogIndex Index, Term Term, ReadOnlyMemory<byte> Payload);
