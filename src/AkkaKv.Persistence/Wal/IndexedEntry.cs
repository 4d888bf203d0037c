namespace AkkaKv.Persistence.Wal;

/// <summary>An entry of the in-memory index: its term, where it is on disk, and its payload while cached.</summary>
internal sealed class IndexedEntry(Term term, RecordLocation location, ReadOnlyMemory<byte>? cached)
{
    public Term Term { get; } = term;
    public RecordLocation Location { get; set; } = location;
    public ReadOnlyMemory<byte>? Cached { get; set; } = cached;
    public int PayloadLength => Location.Length - WalRecordHeader.Size;
}
