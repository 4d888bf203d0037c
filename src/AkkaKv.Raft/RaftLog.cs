namespace AkkaKv.Raft;

/// <summary>
/// A replica's view of its log: the persisted part (read through <see cref="IRaftLogReader"/>) followed by the
/// unstable part (entries not yet made durable by the host), plus the commit and apply positions.
/// Entries in the unstable part shadow any persisted entries at the same or later indexes.
/// </summary>
internal sealed class RaftLog
{
    private readonly IRaftLogReader _storage;
    private readonly List<RaftEntry> _unstable = [];
    private LogIndex _unstableOffset;          // index of _unstable[0]; persisted entries at or after it are shadowed
    private LogIndex _handedOutUpTo;           // last unstable index already given to the host in a ready
    private LogIndex _applyingUpTo;            // last committed index already given to the host in a ready
    // Persisted entries not yet applied, ending right before _unstableOffset: applying (and replicating) them needs
    // no trip through the journal. Bounded; entries outside it are read from storage.
    private readonly List<RaftEntry> _recent = [];
    private long _recentBytes;
    private const long MaxRecentBytes = 16 * 1024 * 1024;

    public RaftLog(IRaftLogReader storage)
    {
        _storage = storage;
        _unstableOffset = storage.LastIndex.Next();
        _handedOutUpTo = storage.LastIndex;
        PersistedIndex = storage.LastIndex;
        Committed = storage.HardState.Commit;
        // The host restores its state machine from the newest snapshot, so that is what has been applied (the
        // log may keep some entries before it for lagging followers).
        Applied = LogIndex.Max(storage.FirstIndex.Previous(), storage.Snapshot?.Index ?? LogIndex.Zero);
        _applyingUpTo = Applied;
        Invariant.Check(Committed <= storage.LastIndex, $"commit {Committed} beyond last {storage.LastIndex}");
        if (Committed < Applied)
        {
            Committed = Applied; // the snapshot is committed by definition
        }
    }

    /// <summary>The highest index known to be committed.</summary>
    public LogIndex Committed { get; private set; }

    /// <summary>The highest index the host has applied.</summary>
    public LogIndex Applied { get; private set; }

    /// <summary>The highest index known durable on this replica (and still part of its log).</summary>
    public LogIndex PersistedIndex { get; private set; }

    /// <summary>A fully received snapshot that the host has not yet installed.</summary>
    public RaftSnapshotMeta? PendingSnapshot { get; private set; }

    private bool _pendingSnapshotHandedOut;

    public LogIndex FirstIndex => PendingSnapshot is { } snapshot ? snapshot.Index.Next() : _storage.FirstIndex;

    public LogIndex LastIndex => _unstable.Count > 0 ? _unstableOffset.Plus((ulong)_unstable.Count - 1) : _unstableOffset.Previous();

    public Term LastTerm => TermAt(LastIndex) ?? throw new InvalidOperationException($"no term for last index {LastIndex}");

    /// <summary>The term at <paramref name="index"/>; null when compacted or beyond the end.</summary>
    public Term? TermAt(LogIndex index)
    {
        if (PendingSnapshot is { } snapshot)
        {
            if (index == snapshot.Index)
            {
                return snapshot.Term;
            }
            if (index < snapshot.Index)
            {
                return null;
            }
        }
        if (index >= _unstableOffset)
        {
            var offset = index.Value - _unstableOffset.Value;
            return offset < (ulong)_unstable.Count ? _unstable[(int)offset].Term : null;
        }
        if (index == LogIndex.Zero)
        {
            return Term.Zero;
        }
        if (_recent.Count > 0 && index >= _recent[0].Index)
        {
            return _recent[(int)(index.Value - _recent[0].Index.Value)].Term;
        }
        return _storage.TermAt(index);
    }

    public bool MatchTerm(LogIndex index, Term term) => TermAt(index) == term;

    /// <summary>Raft §5.4.1: is a log ending at (<paramref name="lastIndex"/>, <paramref name="lastTerm"/>) at least as up to date as ours?</summary>
    public bool IsUpToDate(LogIndex lastIndex, Term lastTerm)
    {
        var ourLastTerm = LastTerm;
        return lastTerm > ourLastTerm || (lastTerm == ourLastTerm && lastIndex >= LastIndex);
    }

    /// <summary>Entries from <paramref name="from"/> to <paramref name="to"/> (inclusive), capped at <paramref name="maxBytes"/> (at least one).</summary>
    public IReadOnlyList<RaftEntry> Entries(LogIndex from, LogIndex to, long maxBytes)
    {
        Invariant.Check(from >= FirstIndex, $"entries from {from} below first index {FirstIndex}");
        to = LogIndex.Min(to, LastIndex);
        var result = new List<RaftEntry>();
        if (from > to)
        {
            return result;
        }
        long bytes = 0;
        if (from < _unstableOffset)
        {
            var storedTo = LogIndex.Min(to, _unstableOffset.Previous());
            var stored = _recent.Count > 0 && from >= _recent[0].Index
                ? _recent.GetRange((int)(from.Value - _recent[0].Index.Value), (int)(storedTo.Value - from.Value) + 1)
                : _storage.Entries(from, storedTo, maxBytes);
            foreach (var entry in stored)
            {
                if (result.Count > 0 && bytes + entry.SizeBytes > maxBytes)
                {
                    return result;
                }
                bytes += entry.SizeBytes;
                result.Add(entry);
            }
            if (result.Count == 0 || result[^1].Index < storedTo)
            {
                return result; // the size cap stopped the persisted part
            }
            from = _unstableOffset;
        }
        for (var index = from; index <= to; index = index.Next())
        {
            var entry = _unstable[(int)(index.Value - _unstableOffset.Value)];
            if (result.Count > 0 && bytes + entry.SizeBytes > maxBytes)
            {
                break;
            }
            bytes += entry.SizeBytes;
            result.Add(entry);
        }
        return result;
    }

    /// <summary>
    /// The largest index at or below <paramref name="index"/> whose term is at most <paramref name="term"/>
    /// (etcd's fast back-off); an index whose term is unknown (compacted) is returned as is.
    /// </summary>
    public LogIndex FindConflictByTerm(LogIndex index, Term term)
    {
        index = LogIndex.Min(index, LastIndex);
        while (index > LogIndex.Zero)
        {
            var found = TermAt(index);
            if (found is null || found.Value <= term)
            {
                return index;
            }
            index = index.Previous();
        }
        return LogIndex.Zero;
    }

    /// <summary>Appends entries from a leader (§5.3): keeps matching ones, replaces from the first conflict on.</summary>
    /// <returns>The index of the last entry of the message, or null when (<paramref name="prevIndex"/>, <paramref name="prevTerm"/>) does not match.</returns>
    public LogIndex? TryAppend(LogIndex prevIndex, Term prevTerm, LogIndex leaderCommit, IReadOnlyList<RaftEntry> entries)
    {
        if (!MatchTerm(prevIndex, prevTerm))
        {
            return null;
        }
        var lastNew = prevIndex.Plus((ulong)entries.Count);
        var firstConflict = -1;
        for (var i = 0; i < entries.Count; i++)
        {
            if (!MatchTerm(entries[i].Index, entries[i].Term))
            {
                firstConflict = i;
                break;
            }
        }
        if (firstConflict >= 0)
        {
            var from = entries[firstConflict].Index;
            Invariant.Check(from > Committed, $"conflict at {from} at or below commit {Committed}");
            Append(entries.Skip(firstConflict).ToList());
        }
        CommitTo(LogIndex.Min(leaderCommit, lastNew));
        return lastNew;
    }

    /// <summary>Appends <paramref name="entries"/>, which must be contiguous; an entry at an existing index replaces the suffix from it.</summary>
    public void Append(IReadOnlyList<RaftEntry> entries)
    {
        if (entries.Count == 0)
        {
            return;
        }
        var first = entries[0].Index;
        Invariant.Check(first > Committed, $"append at {first} at or below commit {Committed}");
        Invariant.Check(first <= LastIndex.Next(), $"append at {first} leaves a gap after {LastIndex}");
        if (first <= _unstableOffset)
        {
            _unstable.Clear();
            _unstableOffset = first;
            TrimRecentFrom(first);
        }
        else
        {
            var keep = (int)(first.Value - _unstableOffset.Value);
            _unstable.RemoveRange(keep, _unstable.Count - keep);
        }
        _unstable.AddRange(entries);
        var beforeFirst = first.Previous();
        _handedOutUpTo = LogIndex.Min(_handedOutUpTo, beforeFirst);
        PersistedIndex = LogIndex.Min(PersistedIndex, beforeFirst);
    }

    public void CommitTo(LogIndex index)
    {
        if (index > Committed)
        {
            Invariant.Check(index <= LastIndex, $"commit {index} beyond last index {LastIndex}");
            Committed = index;
        }
    }

    /// <summary>Unstable entries not yet handed to the host; marks them handed out.</summary>
    public IReadOnlyList<RaftEntry> TakeEntriesToPersist()
    {
        var from = LogIndex.Max(_handedOutUpTo.Next(), _unstableOffset);
        if (from > LastIndex)
        {
            return [];
        }
        var start = (int)(from.Value - _unstableOffset.Value);
        var entries = _unstable.GetRange(start, _unstable.Count - start);
        _handedOutUpTo = LastIndex;
        return entries;
    }

    public bool HasEntriesToPersist => LastIndex > LogIndex.Max(_handedOutUpTo, _unstableOffset.Previous());

    /// <summary>Committed, durable entries not yet handed out for applying, capped at <paramref name="maxBytes"/>; marks them handed out.</summary>
    public IReadOnlyList<RaftEntry> TakeEntriesToApply(long maxBytes)
    {
        if (!HasEntriesToApply)
        {
            return [];
        }
        var entries = Entries(_applyingUpTo.Next(), LogIndex.Min(Committed, PersistedIndex), maxBytes);
        if (entries.Count > 0)
        {
            _applyingUpTo = entries[^1].Index;
        }
        return entries;
    }

    public bool HasEntriesToApply =>
        PendingSnapshot is null && LogIndex.Min(Committed, PersistedIndex) > _applyingUpTo;

    /// <summary>Replaces the log with a received snapshot (Raft §7): everything up to its index is committed.</summary>
    public void Restore(RaftSnapshotMeta snapshot)
    {
        Invariant.Check(snapshot.Index > Committed, $"snapshot at {snapshot.Index} not beyond commit {Committed}");
        PendingSnapshot = snapshot;
        _pendingSnapshotHandedOut = false;
        ClearRecent();
        _unstable.Clear();
        _unstableOffset = snapshot.Index.Next();
        _handedOutUpTo = snapshot.Index;
        Committed = snapshot.Index;
        PersistedIndex = LogIndex.Min(PersistedIndex, snapshot.Index.Previous());
    }

    /// <summary>The snapshot to install, once; null when none is pending or it was already handed out.</summary>
    public RaftSnapshotMeta? TakeSnapshotToInstall()
    {
        if (PendingSnapshot is null || _pendingSnapshotHandedOut)
        {
            return null;
        }
        _pendingSnapshotHandedOut = true;
        return PendingSnapshot;
    }

    public bool HasSnapshotToInstall => PendingSnapshot is not null && !_pendingSnapshotHandedOut;

    /// <summary>The host made entries up to (<paramref name="index"/>, <paramref name="term"/>) durable.</summary>
    public void StableTo(LogIndex index, Term term)
    {
        if (TermAt(index) != term || index < _unstableOffset)
        {
            return; // replaced by a newer leader's entries while the write was in flight
        }
        var count = (int)(index.Value - _unstableOffset.Value) + 1;
        for (var i = 0; i < count; i++)
        {
            var entry = _unstable[i];
            if (entry.Index > _applyingUpTo && _recentBytes + entry.SizeBytes <= MaxRecentBytes)
            {
                _recent.Add(entry);
                _recentBytes += entry.SizeBytes;
            }
            else
            {
                ClearRecent(); // keep the cache one contiguous run that ends where the unstable part begins
            }
        }
        _unstable.RemoveRange(0, count);
        _unstableOffset = index.Next();
        PersistedIndex = LogIndex.Max(PersistedIndex, index);
    }

    private void TrimRecentFrom(LogIndex from)
    {
        while (_recent.Count > 0 && _recent[^1].Index >= from)
        {
            _recentBytes -= _recent[^1].SizeBytes;
            _recent.RemoveAt(_recent.Count - 1);
        }
    }

    private void ClearRecent()
    {
        _recent.Clear();
        _recentBytes = 0;
    }

    /// <summary>The host installed <paramref name="snapshot"/>: the persisted log now starts after it.</summary>
    public void SnapshotInstalled(RaftSnapshotMeta snapshot)
    {
        if (PendingSnapshot is null || PendingSnapshot.Index != snapshot.Index)
        {
            return;
        }
        PendingSnapshot = null;
        _pendingSnapshotHandedOut = false;
        PersistedIndex = LogIndex.Max(PersistedIndex, snapshot.Index);
        Applied = LogIndex.Max(Applied, snapshot.Index);
        _applyingUpTo = LogIndex.Max(_applyingUpTo, snapshot.Index);
    }

    /// <summary>The host applied entries up to <paramref name="index"/>.</summary>
    public void AppliedTo(LogIndex index)
    {
        Invariant.Check(index <= Committed, $"applied {index} beyond commit {Committed}");
        Applied = LogIndex.Max(Applied, index);
        var drop = 0;
        while (drop < _recent.Count && _recent[drop].Index <= Applied)
        {
            _recentBytes -= _recent[drop].SizeBytes;
            drop++;
        }
        _recent.RemoveRange(0, drop);
    }
}
