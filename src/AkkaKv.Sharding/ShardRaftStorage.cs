using AkkaKv.Persistence;
using AkkaKv.Raft;

namespace AkkaKv.Sharding;

/// <summary>
/// A shard's durable Raft state as its <see cref="RaftNode"/> reads it: the entries and hard state in the node's
/// journal, and the newest snapshot. The log is served only above a floor the host raises <em>before</em> asking the
/// journal to compact (or after installing a snapshot), so a compaction running on the journal's writer thread can
/// never remove an entry the core may still read.
/// </summary>
internal sealed class ShardRaftStorage : IRaftLogReader
{
    private readonly ShardId _shard;
    private readonly IJournal _journal;
    private readonly Func<RaftSnapshotMeta, long, int, ReadOnlyMemory<byte>?> _readSnapshot;
    private readonly RaftHardState _defaultHardState;
    private readonly ConfState _defaultConf;
    private LogIndex _floor;
    private Term _floorTerm;

    public ShardRaftStorage(
        ShardId shard,
        IJournal journal,
        RaftSnapshotMeta? snapshot,
        Func<RaftSnapshotMeta, long, int, ReadOnlyMemory<byte>?> readSnapshot,
        RaftHardState defaultHardState,
        ConfState defaultConf)
    {
        _shard = shard;
        _journal = journal;
        _readSnapshot = readSnapshot;
        _defaultHardState = defaultHardState;
        _defaultConf = defaultConf;
        Snapshot = snapshot;
        var bounds = journal.Bounds(shard);
        // Entries at or below the snapshot may be stale leftovers of a snapshot install that crashed before the
        // journal's compaction became durable: never serve them.
        if (snapshot is not null && snapshot.Index >= bounds.Compacted)
        {
            _floor = snapshot.Index;
            _floorTerm = snapshot.Term;
        }
        else
        {
            _floor = bounds.Compacted;
            _floorTerm = bounds.CompactedTerm;
        }
        LastIndex = LogIndex.Max(bounds.Last, _floor);
    }

    public RaftHardState HardState =>
        _journal.GetHardState(_shard) is { } state ? new RaftHardState(state.Term, state.Vote, state.Commit) : _defaultHardState;

    public ConfState SnapshotConf => Snapshot?.Conf ?? _defaultConf;

    public LogIndex FirstIndex => _floor.Next();

    /// <summary>The last index at start-up (the core tracks the log's end itself afterwards).</summary>
    public LogIndex LastIndex { get; }

    public RaftSnapshotMeta? Snapshot { get; private set; }

    public Term? TermAt(LogIndex index)
    {
        if (index < _floor)
        {
            return null;
        }
        if (index == _floor)
        {
            return _floorTerm;
        }
        return _journal.TermAt(_shard, index);
    }

    public IReadOnlyList<RaftEntry> Entries(LogIndex from, LogIndex to, long maxBytes)
    {
        Invariant.Check(from > _floor, $"{_shard}: entries from {from} at or below the floor {_floor}");
        var entries = _journal.Read(_shard, from, to, maxBytes);
        var result = new RaftEntry[entries.Count];
        for (var i = 0; i < entries.Count; i++)
        {
            var entry = entries[i];
            var kind = ConfChange.IsEncoded(entry.Payload.Span) ? RaftEntryKind.ConfChange : RaftEntryKind.Normal;
            result[i] = new RaftEntry(entry.Index, entry.Term, kind, entry.Payload);
        }
        return result;
    }

    public ReadOnlyMemory<byte>? ReadSnapshotChunk(RaftSnapshotMeta snapshot, long offset, int maxBytes)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        return Snapshot is { } current && current.Index == snapshot.Index && current.Term == snapshot.Term
            ? _readSnapshot(current, offset, maxBytes)
            : null;
    }

    /// <summary>A newer snapshot was written or installed.</summary>
    public void SetSnapshot(RaftSnapshotMeta snapshot) => Snapshot = snapshot;

    /// <summary>Entries up to <paramref name="index"/> are about to be compacted (or were replaced by a snapshot).</summary>
    public void RaiseFloor(LogIndex index, Term term)
    {
        if (index > _floor)
        {
            _floor = index;
            _floorTerm = term;
        }
    }
}
