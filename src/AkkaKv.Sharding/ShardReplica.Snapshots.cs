using AkkaKv.Persistence.Snapshots;
using AkkaKv.Raft;

namespace AkkaKv.Sharding;

/// <summary>Snapshots: taking them (then compacting the journal), sending them in chunks, receiving and installing them.</summary>
public sealed partial class ShardReplica
{
    private long _appliedSinceSnapshot;
    private long _bytesSinceSnapshot;
    private SnapshotWriter? _incomingSnapshot;
    private long _incomingOffset;
    private SnapshotReader? _outgoingSnapshot;
    private long _outgoingOffset;

    /// <summary>Restores the state machine from the newest intact snapshot; returns its description, or null.</summary>
    private RaftSnapshotMeta? RestoreLatestSnapshot()
    {
        using var reader = _snapshots.OpenLatest(_shard);
        if (reader is null)
        {
            return null;
        }
        var conf = ShardSnapshotHeader.TryRead(reader.Content);
        _state = NewStateMachine();
        if (conf is null)
        {
            // Written before replication: no header, the whole content is the state machine.
            using var legacy = _snapshots.OpenLatest(_shard) ?? throw new InvalidOperationException($"{_shard}: the snapshot vanished while loading");
            _state.RestoreSnapshot(legacy.Content);
            return new RaftSnapshotMeta(legacy.Metadata.Index, legacy.Metadata.Term, ConfState.Empty, legacy.ContentLength);
        }
        _state.RestoreSnapshot(reader.Content);
        return new RaftSnapshotMeta(reader.Metadata.Index, reader.Metadata.Term, conf, reader.ContentLength);
    }

    private void MaybeTakeSnapshot()
    {
        var due = _appliedSinceSnapshot >= _options.SnapshotEveryEntries || _bytesSinceSnapshot >= _options.SnapshotEveryBytes;
        if (!due || _state.AppliedIndex <= (_storage.Snapshot?.Index ?? LogIndex.Zero))
        {
            return;
        }
        if (_incomingSnapshot is not null)
        {
            // A leader's snapshot is arriving (possibly at this very index, i.e. into the same file): take ours
            // after it is installed or abandoned; the next applied entry tries again.
            return;
        }
        var index = _state.AppliedIndex;
        var term = Raft.TermAt(index) ?? throw new InvalidOperationException($"{_shard}: no term for applied index {index}");
        var writer = _snapshots.BeginWrite(new SnapshotMetadata(_shard, index, term));
        long size;
        try
        {
            var counting = new CountingStream(writer.Content);
            ShardSnapshotHeader.Write(counting, Raft.Conf);
            _state.WriteSnapshot(counting);
            size = counting.BytesWritten;
            writer.Complete();
        }
        catch
        {
            writer.Abandon();
            throw;
        }
        _storage.SetSnapshot(new RaftSnapshotMeta(index, term, Raft.Conf, size));
        _appliedSinceSnapshot = 0;
        _bytesSinceSnapshot = 0;
        _log.SnapshotTaken(_shard, index, _state.Count);
        // Keep some entries behind the snapshot so followers that lag a little need no snapshot.
        if (index.Value > (ulong)_options.CompactionLagEntries)
        {
            var upTo = new LogIndex(index.Value - (ulong)_options.CompactionLagEntries);
            if (upTo >= _storage.FirstIndex && Raft.TermAt(upTo) is { } upToTerm)
            {
                _storage.RaiseFloor(upTo, upToTerm); // before the journal drops anything
                _journal.Compact(_shard, upTo, upToTerm, ReportCompactionFailure());
            }
        }
    }

    /// <summary>Serves the leader's snapshot transfer: sequential reads from one open reader, reopened only on a rewind.</summary>
    private ReadOnlyMemory<byte>? ReadSnapshotChunk(RaftSnapshotMeta snapshot, long offset, int maxBytes)
    {
        if (_outgoingSnapshot is null || _outgoingSnapshot.Metadata.Index != snapshot.Index || offset < _outgoingOffset)
        {
            _outgoingSnapshot?.Dispose();
            _outgoingSnapshot = _snapshots.OpenLatest(_shard);
            _outgoingOffset = 0;
            if (_outgoingSnapshot is null || _outgoingSnapshot.Metadata.Index != snapshot.Index)
            {
                _outgoingSnapshot?.Dispose();
                _outgoingSnapshot = null;
                return null;
            }
        }
        var skip = new byte[Math.Min(maxBytes, 64 * 1024)];
        while (_outgoingOffset < offset)
        {
            var read = _outgoingSnapshot.Content.Read(skip, 0, (int)Math.Min(skip.Length, offset - _outgoingOffset));
            if (read == 0)
            {
                return null;
            }
            _outgoingOffset += read;
        }
        var chunk = new byte[(int)Math.Min(maxBytes, snapshot.SizeBytes - offset)];
        var filled = 0;
        while (filled < chunk.Length)
        {
            var read = _outgoingSnapshot.Content.Read(chunk, filled, chunk.Length - filled);
            if (read == 0)
            {
                break;
            }
            filled += read;
        }
        _outgoingOffset += filled;
        if (_outgoingOffset >= snapshot.SizeBytes)
        {
            _outgoingSnapshot.Dispose();
            _outgoingSnapshot = null;
        }
        return chunk.AsMemory(0, filled);
    }

    /// <summary>A journal callback (run on the journal's thread) that reports only failures, as a message.</summary>
    private Action<Exception?> ReportCompactionFailure()
    {
        var shell = _shell;
        return cause =>
        {
            if (cause is not null)
            {
                shell.Post(new CompactFailed(cause));
            }
        };
    }

    private void StoreSnapshotChunks(IReadOnlyList<ReceivedSnapshotChunk> chunks)
    {
        foreach (var chunk in chunks)
        {
            if (chunk.Offset == 0)
            {
                _incomingSnapshot?.Abandon();
                _incomingSnapshot = _snapshots.BeginWrite(new SnapshotMetadata(_shard, chunk.Snapshot.Index, chunk.Snapshot.Term));
                _incomingOffset = 0;
            }
            Invariant.Check(_incomingSnapshot is not null && chunk.Offset == _incomingOffset, $"{_shard}: snapshot chunk at {chunk.Offset}, expected {_incomingOffset}");
            _incomingSnapshot.Content.Write(chunk.Data.Span);
            _incomingOffset += chunk.Data.Length;
        }
    }

    /// <summary>Installs a fully received snapshot: durable first, then the state machine, then the journal follows.</summary>
    private void InstallSnapshot(RaftSnapshotMeta snapshot)
    {
        Invariant.Check(_incomingSnapshot is not null && _incomingSnapshot.Metadata.Index == snapshot.Index, $"{_shard}: no received data for snapshot {snapshot.Index}");
        _incomingSnapshot.Complete();
        _incomingSnapshot = null;
        var restored = RestoreLatestSnapshot();
        Invariant.Check(restored is not null && restored.Index == snapshot.Index, $"{_shard}: the installed snapshot {snapshot.Index} did not load");
        _storage.SetSnapshot(restored);
        _storage.RaiseFloor(snapshot.Index, snapshot.Term);
        // The journal's entries are superseded: drop what the snapshot covers and any stale tail after it.
        _journal.TruncateSuffix(_shard, snapshot.Index.Next(), ReportCompactionFailure());
        _journal.Compact(_shard, snapshot.Index, snapshot.Term, ReportCompactionFailure());
        _appliedSinceSnapshot = 0;
        _bytesSinceSnapshot = 0;
        foreach (var (index, proposal) in _proposals.Where(pair => pair.Key <= snapshot.Index).ToList())
        {
            _proposals.Remove(index);
            proposal.ReplyTo.Tell(new OutcomeUnknown("the replica installed a leader's snapshot; the outcome is not known here"));
        }
        _log.SnapshotInstalled(_shard, snapshot.Index, _state.Count);
    }
}
