namespace AkkaKv.Raft;

/// <summary>One entry of a Raft log.</summary>
public readonly record struct RaftEntry(LogIndex Index, Term Term, RaftEntryKind Kind, ReadOnlyMemory<byte> Data)
{
    /// <summary>The bytes this entry counts for in size limits (data plus a fixed overhead).</summary>
    public long SizeBytes => Data.Length + 24;

    /// <summary>True for the empty entry a new leader appends to commit its term.</summary>
    public bool IsNoOp => Kind == RaftEntryKind.Normal && Data.IsEmpty;
}
