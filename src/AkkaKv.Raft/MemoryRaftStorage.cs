namespace AkkaKv.Raft;

/// <summary>
/// An in-memory <see cref="IRaftLogReader"/> with the writes a host performs (append, hard state, snapshots,
/// compaction): for tests and simulations. What it holds counts as durable.
/// </summary>
public sealed class MemoryRaftStorage : IRaftLogReader
{
    private readonly List<RaftEntry> _entries = []; // from FirstIndex on
    private LogIndex _snapshotIndex;
    private Term _snapshotTerm;
    private byte[] _snapshotData = [];
    private List<byte> _incoming = [];

    /// <summary>Empty storage: a replica that joins an existing group and learns everything from its leader.</summary>
    public MemoryRaftStorage()
    {
        SnapshotConf = ConfState.Empty;
    }

    /// <summary>Storage of a replica of a new group that starts with <paramref name="conf"/> (see <see cref="RaftBootstrap"/>).</summary>
    public static MemoryRaftStorage Bootstrapped(ConfState conf)
    {
        var storage = new MemoryRaftStorage();
        storage.Append(RaftBootstrap.Entries(conf));
        storage.HardState = RaftBootstrap.HardState(conf);
        return storage;
    }

    public RaftHardState HardState { get; private set; } = RaftHardState.Empty;

    public ConfState SnapshotConf { get; private set; }

    public LogIndex FirstIndex => _snapshotIndex.Next();

    public LogIndex LastIndex => _snapshotIndex.Plus((ulong)_entries.Count);

    public RaftSnapshotMeta? Snapshot { get; private set; }

    /// <summary>The data of the newest snapshot.</summary>
    public ReadOnlyMemory<byte> SnapshotData => _snapshotData;

    public Term? TermAt(LogIndex index)
    {
        if (index == _snapshotIndex)
        {
            return _snapshotTerm;
        }
        if (index < _snapshotIndex || index > LastIndex)
        {
            return null;
        }
        return _entries[(int)(index.Value - FirstIndex.Value)].Term;
    }

    public IReadOnlyList<RaftEntry> Entries(LogIndex from, LogIndex to, long maxBytes)
    {
        Invariant.Check(from >= FirstIndex && to <= LastIndex, $"entries {from}..{to} outside {FirstIndex}..{LastIndex}");
        var result = new List<RaftEntry>();
        long bytes = 0;
        for (var index = from; index <= to; index = index.Next())
        {
            var entry = _entries[(int)(index.Value - FirstIndex.Value)];
            if (result.Count > 0 && bytes + entry.SizeBytes > maxBytes)
            {
                break;
            }
            bytes += entry.SizeBytes;
            result.Add(entry);
        }
        return result;
    }

    public ReadOnlyMemory<byte>? ReadSnapshotChunk(RaftSnapshotMeta snapshot, long offset, int maxBytes)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        if (Snapshot is null || Snapshot.Index != snapshot.Index || Snapshot.Term != snapshot.Term)
        {
            return null;
        }
        var start = (int)Math.Min(offset, _snapshotData.Length);
        var length = Math.Min(maxBytes, _snapshotData.Length - start);
        return _snapshotData.AsMemory(start, length);
    }

    /// <summary>Carries out the persistence part of <paramref name="ready"/>: chunks, snapshot, entries, hard state.</summary>
    public void Persist(Ready ready)
    {
        ArgumentNullException.ThrowIfNull(ready);
        foreach (var chunk in ready.SnapshotChunks)
        {
            if (chunk.Offset == 0)
            {
                _incoming = [];
            }
            _incoming.AddRange(chunk.Data.ToArray());
        }
        if (ready.Snapshot is { } snapshot)
        {
            InstallSnapshot(snapshot, [.. _incoming]);
        }
        Append(ready.Entries);
        if (ready.HardState is { } hardState)
        {
            HardState = hardState;
        }
    }

    /// <summary>Appends entries; an entry at an existing index replaces it and everything after it.</summary>
    public void Append(IReadOnlyList<RaftEntry> entries)
    {
        ArgumentNullException.ThrowIfNull(entries);
        if (entries.Count == 0)
        {
            return;
        }
        var first = entries[0].Index;
        Invariant.Check(first > _snapshotIndex && first <= LastIndex.Next(), $"append at {first} outside {FirstIndex}..{LastIndex.Next()}");
        var keep = (int)(first.Value - FirstIndex.Value);
        _entries.RemoveRange(keep, _entries.Count - keep);
        _entries.AddRange(entries);
    }

    /// <summary>Records a snapshot of the local state at <paramref name="index"/> and drops the entries it covers.</summary>
    public void CreateSnapshot(LogIndex index, ConfState conf, byte[] data)
    {
        ArgumentNullException.ThrowIfNull(data);
        var term = TermAt(index);
        Invariant.Check(term is not null && index >= _snapshotIndex, $"snapshot at {index} outside the log");
        var meta = new RaftSnapshotMeta(index, term.Value, conf, data.Length);
        _entries.RemoveRange(0, (int)(index.Value - _snapshotIndex.Value));
        _snapshotIndex = index;
        _snapshotTerm = term.Value;
        _snapshotData = data;
        Snapshot = meta;
        SnapshotConf = conf;
    }

    private void InstallSnapshot(RaftSnapshotMeta snapshot, byte[] data)
    {
        Invariant.Check(data.Length == snapshot.SizeBytes, $"snapshot at {snapshot.Index}: {data.Length} of {snapshot.SizeBytes} bytes received");
        _entries.Clear();
        _snapshotIndex = snapshot.Index;
        _snapshotTerm = snapshot.Term;
        _snapshotData = data;
        Snapshot = snapshot;
        SnapshotConf = snapshot.Conf;
        HardState = HardState with { Commit = LogIndex.Max(HardState.Commit, snapshot.Index) };
    }
}
