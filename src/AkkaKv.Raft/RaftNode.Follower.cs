namespace AkkaKv.Raft;

/// <summary>The follower: accepting entries, heartbeats and snapshots from the leader (Raft §5.3, §7).</summary>
public sealed partial class RaftNode
{
    private StepResult StepFollower(RaftMessage message)
    {
        switch (message)
        {
            case AppendEntries append:
                HeardFromLeader(append.From);
                HandleAppendEntries(append);
                return StepResult.Accepted;
            case Heartbeat { Quiesce: true } quiescing:
                OnQuiescingHeartbeat(quiescing);
                return StepResult.Accepted;
            case Heartbeat heartbeat:
                HeardFromLeader(heartbeat.From);
                _log.CommitTo(LogIndex.Min(heartbeat.Commit, _log.LastIndex));
                SendAfterPersist(new HeartbeatResponse(Id, heartbeat.From, Term, heartbeat.ReadContext));
                return StepResult.Accepted;
            case InstallSnapshot chunk:
                HeardFromLeader(chunk.From);
                HandleSnapshotChunk(chunk);
                return StepResult.Accepted;
            case TimeoutNow when IsPromotable:
                LogMessages.TimeoutNowReceived(_logger, _group, Id, message.From, Term);
                Campaign(preVote: false, leaderTransfer: true); // the leader asked: skip the pre-vote
                return StepResult.Accepted;
            case ReadIndexResponse response:
                _readStates.Add(new ReadState(response.RequestId, response.Index));
                return StepResult.Accepted;
            default:
                return StepResult.Ignored;
        }
    }

    private void HeardFromLeader(NodeId leader)
    {
        _electionElapsed = 0;
        _leaderLeaseLapsed = false;
        Leader = leader;
    }

    private void HandleAppendEntries(AppendEntries append)
    {
        if (append.PrevIndex < _log.Committed)
        {
            // Everything up to our commit index already matches the leader (log matching): say so.
            SendAfterPersist(new AppendResponse(Id, append.From, Term, _log.Committed, Rejected: false, LogIndex.Zero, Term.Zero));
            return;
        }
        if (_log.TryAppend(append.PrevIndex, append.PrevTerm, append.Commit, append.Entries) is { } lastNew)
        {
            SendAfterPersist(new AppendResponse(Id, append.From, Term, lastNew, Rejected: false, LogIndex.Zero, Term.Zero));
            return;
        }
        // Suggest where the leader should probe next: the last index that can possibly match (etcd's hint).
        var hintIndex = _log.FindConflictByTerm(LogIndex.Min(append.PrevIndex, _log.LastIndex), append.PrevTerm);
        var hintTerm = _log.TermAt(hintIndex) ?? Term.Zero;
        LogMessages.RejectedAppend(_logger, _group, Id, append.From, append.PrevIndex, append.PrevTerm, hintIndex);
        SendAfterPersist(new AppendResponse(Id, append.From, Term, append.PrevIndex, Rejected: true, hintIndex, hintTerm));
    }
}
