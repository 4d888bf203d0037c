namespace AkkaKv.Persistence.Wal;

/// <summary>
/// The index of one shard's log: entries <c>Compacted+1 .. Last</c> with their locations, the latest hard state
/// and compaction mark. Each change keeps the segments' live counts right, so dead segments can be found.
/// </summary>
internal sealed class ShardLog
{
    private readonly List<IndexedEntry> _entries = [];

    public LogIndex Compacted { get; private set; }
    public Term CompactedTerm { get; private set; }
    public RecordLocation? CompactedLocation { get; private set; }
    public HardState? HardState { get; private set; }
    public RecordLocation? HardStateLocation { get; private set; }

    public LogIndex Last => Compacted.Plus((ulong)_entries.Count);

    public IReadOnlyList<IndexedEntry> Entries => _entries;

    public JournalBounds Bounds => new(Compacted, CompactedTerm, Last);

    /// <summary>The entry at <paramref name="index"/>, or null outside the live range.</summary>
    public IndexedEntry? At(LogIndex index) =>
        index > Compacted && index <= Last ? _entries[(int)(index.Value - Compacted.Value - 1)] : null;

    /// <summary>
    /// Recovery only: the shard's log begins after <paramref name="compacted"/>. Entries at or below it are then
    /// skipped during replay even though the compaction mark that covers them comes later in sequence order (the
    /// entries before them may already be deleted with their segments).
    /// </summary>
    public void StartAfter(LogIndex compacted, Term term)
    {
        Invariant.Check(_entries.Count == 0 && Compacted == LogIndex.Zero, "start a shard log before replaying it");
        Compacted = compacted;
        CompactedTerm = term;
    }

    /// <summary>Why <paramref name="index"/> cannot be appended, or null when it can (it may replace a suffix).</summary>
    public string? CheckAppend(LogIndex index)
    {
        if (index <= Compacted)
        {
            return $"entry {index} is at or below the compaction point {Compacted}";
        }
        if (index > Last.Next())
        {
            return $"entry {index} would leave a gap after the last entry {Last}";
        }
        return null;
    }

    /// <summary>Places an entry, first discarding any at or after its index (Raft's conflict rule).</summary>
    public void Append(LogIndex index, IndexedEntry entry, Action<IndexedEntry>? onRemoved)
    {
        Invariant.Check(CheckAppend(index) is null, $"append {index} to log {Compacted}..{Last}");
        TruncateFrom(index, onRemoved);
        _entries.Add(entry);
        entry.Location.Segment.AddLive(entry.Location.Length);
    }

    /// <summary>Removes entries at and after <paramref name="from"/>.</summary>
    public void TruncateFrom(LogIndex from, Action<IndexedEntry>? onRemoved)
    {
        var keep = from <= Compacted ? 0 : (int)Math.Min((ulong)_entries.Count, from.Value - Compacted.Value - 1);
        for (var i = keep; i < _entries.Count; i++)
        {
            Release(_entries[i], onRemoved);
        }
        _entries.RemoveRange(keep, _entries.Count - keep);
    }

    /// <summary>Drops entries up to <paramref name="upTo"/>, which a snapshot now covers, and records the mark.</summary>
    public void CompactTo(LogIndex upTo, Term term, RecordLocation location, Action<IndexedEntry>? onRemoved)
    {
        if (upTo > Compacted)
        {
            var drop = (int)Math.Min((ulong)_entries.Count, upTo.Value - Compacted.Value);
            for (var i = 0; i < drop; i++)
            {
                Release(_entries[i], onRemoved);
            }
            _entries.RemoveRange(0, drop);
            Compacted = upTo;
            CompactedTerm = term;
        }
        CompactedLocation?.Segment.RemoveLive(CompactedLocation.Length);
        CompactedLocation = location;
        location.Segment.AddLive(location.Length);
    }

    public void SetHardState(HardState state, RecordLocation location)
    {
        HardStateLocation?.Segment.RemoveLive(HardStateLocation.Length);
        HardState = state;
        HardStateLocation = location;
        location.Segment.AddLive(location.Length);
    }

    /// <summary>Releases every record of the shard (it is removed from the node).</summary>
    public void ReleaseAll(Action<IndexedEntry>? onRemoved)
    {
        TruncateFrom(LogIndex.Zero, onRemoved);
        CompactedLocation?.Segment.RemoveLive(CompactedLocation.Length);
        CompactedLocation = null;
        HardStateLocation?.Segment.RemoveLive(HardStateLocation.Length);
        HardStateLocation = null;
    }

    /// <summary>Points the compaction mark at its copy in a newer segment.</summary>
    public void RelocateCompacted(RecordLocation to) => CompactedLocation = Move(CompactedLocation!, to);

    /// <summary>Points the hard state at its copy in a newer segment.</summary>
    public void RelocateHardState(RecordLocation to) => HardStateLocation = Move(HardStateLocation!, to);

    /// <summary>Points an entry at its copy in a newer segment.</summary>
    public static void RelocateEntry(IndexedEntry entry, RecordLocation to) => entry.Location = Move(entry.Location, to);

    private static RecordLocation Move(RecordLocation from, RecordLocation to)
    {
        from.Segment.RemoveLive(from.Length);
        to.Segment.AddLive(to.Length);
        return to;
    }

    private static void Release(IndexedEntry entry, Action<IndexedEntry>? onRemoved)
    {
        entry.Location.Segment.RemoveLive(entry.Location.Length);
        onRemoved?.Invoke(entry);
    }
}
