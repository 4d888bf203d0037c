namespace AkkaKv.Raft;

/// <summary>Sending and receiving snapshots in chunks (Raft §7, InstallSnapshot).</summary>
public sealed partial class RaftNode
{
    private IncomingSnapshot? _incomingSnapshot;

    private sealed record IncomingSnapshot(RaftSnapshotMeta Snapshot, long NextOffset);

    /// <summary>Switches <paramref name="to"/> to snapshot replication with the newest snapshot; false when there is none.</summary>
    private bool StartSnapshot(NodeId to, Progress progress)
    {
        if (_storage.Snapshot is not { } snapshot)
        {
            LogMessages.NoSnapshotToSend(_logger, _group, Id, to, progress.Next);
            return false;
        }
        LogMessages.SendingSnapshot(_logger, _group, Id, to, snapshot.Index, snapshot.SizeBytes);
        progress.BecomeSnapshot(snapshot);
        SendSnapshotChunk(to, progress);
        return true;
    }

    private void SendSnapshotChunk(NodeId to, Progress progress)
    {
        var snapshot = progress.PendingSnapshot;
        Invariant.Check(snapshot is not null, "snapshot progress without a snapshot");
        if (progress.SnapshotChunkInFlight)
        {
            return;
        }
        var offset = progress.SnapshotAckedOffset;
        var data = _storage.ReadSnapshotChunk(snapshot, offset, _options.SnapshotChunkBytes);
        if (data is null)
        {
            // The snapshot was replaced by a newer one: start over with that.
            progress.BecomeProbe();
            SendAppend(to, sendIfEmpty: true);
            return;
        }
        var done = offset + data.Value.Length >= snapshot.SizeBytes;
        Send(new InstallSnapshot(Id, to, Term, snapshot, offset, data.Value, done));
        progress.SnapshotChunkInFlight = true;
    }

    private void HandleSnapshotChunkResponse(SnapshotChunkResponse response, Progress progress)
    {
        if (progress.State != ProgressState.Snapshot || progress.PendingSnapshot?.Index != response.SnapshotIndex)
        {
            return;
        }
        progress.SnapshotAckedOffset = response.NextOffset;
        progress.SnapshotChunkInFlight = false;
        SendSnapshotChunk(response.From, progress);
    }

    private void HandleSnapshotChunk(InstallSnapshot chunk)
    {
        var snapshot = chunk.Snapshot;
        if (snapshot.Index <= _log.Committed)
        {
            _incomingSnapshot = null; // we are past it already
            SendAfterPersist(new AppendResponse(Id, chunk.From, Term, _log.Committed, Rejected: false, LogIndex.Zero, Term.Zero));
            return;
        }
        if (chunk.Offset == 0)
        {
            _incomingSnapshot = new IncomingSnapshot(snapshot, 0);
        }
        else if (_incomingSnapshot is not { } incoming || incoming.Snapshot.Index != snapshot.Index ||
                 incoming.Snapshot.Term != snapshot.Term || incoming.NextOffset != chunk.Offset)
        {
            // Out of order (a lost or duplicated chunk): tell the leader where to resume.
            var resumeAt = _incomingSnapshot is { } current && current.Snapshot.Index == snapshot.Index ? current.NextOffset : 0;
            SendAfterPersist(new SnapshotChunkResponse(Id, chunk.From, Term, snapshot.Index, resumeAt));
            return;
        }
        _snapshotChunks.Add(new ReceivedSnapshotChunk(snapshot, chunk.Offset, chunk.Data));
        var nextOffset = chunk.Offset + chunk.Data.Length;
        if (!chunk.Done)
        {
            _incomingSnapshot = new IncomingSnapshot(snapshot, nextOffset);
            SendAfterPersist(new SnapshotChunkResponse(Id, chunk.From, Term, snapshot.Index, nextOffset));
            return;
        }
        _incomingSnapshot = null;
        if (_log.MatchTerm(snapshot.Index, snapshot.Term))
        {
            // We hold the entries the snapshot covers: keep them and just commit (the received bytes go unused).
            LogMessages.SnapshotFastForward(_logger, _group, Id, snapshot.Index);
            _log.CommitTo(snapshot.Index);
        }
        else
        {
            LogMessages.RestoringSnapshot(_logger, _group, Id, snapshot.Index, snapshot.Term);
            _log.Restore(snapshot);
            Conf = snapshot.Conf;
        }
        SendAfterPersist(new AppendResponse(Id, chunk.From, Term, snapshot.Index, Rejected: false, LogIndex.Zero, Term.Zero));
    }
}
