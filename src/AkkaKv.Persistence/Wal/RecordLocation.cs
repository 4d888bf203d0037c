namespace AkkaKv.Persistence.Wal;

/// <summary>Where a record lives: its segment, the byte offset of its header, its whole length and sequence number.</summary>
internal sealed record RecordLocation(WalSegment Segment, long Offset, int Length, ulong Sequence);
