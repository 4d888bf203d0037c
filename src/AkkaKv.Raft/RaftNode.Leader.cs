namespace AkkaKv.Raft;

/// <summary>The leader: replication with flow control, commit, heartbeats, check-quorum (Raft §5.3, §5.4.2).</summary>
public sealed partial class RaftNode
{
    private void TickLeader()
    {
        _heartbeatElapsed++;
        _electionElapsed++;
        if (_electionElapsed >= _options.ElectionTicks)
        {
            _electionElapsed = 0;
            if (_options.CheckQuorum)
            {
                if (!IsQuorumActive())
                {
                    LogMessages.LostQuorum(_logger, _group, Id, Term);
                    BecomeFollower(Term, NodeId.None);
                    return;
                }
                foreach (var (member, progress) in _progress)
                {
                    progress.RecentActive = member == Id;
                }
            }
            if (!_leadTransferee.IsNone)
            {
                LogMessages.LeaderTransferAborted(_logger, _group, Id, _leadTransferee, Term);
                _leadTransferee = NodeId.None; // the target did not take over within an election timeout
            }
        }
        if (_heartbeatElapsed >= _options.HeartbeatTicks)
        {
            _heartbeatElapsed = 0;
            BroadcastHeartbeat(_pendingReads.Count > 0 ? _pendingReads[^1].Context : 0);
        }
    }

    private bool IsQuorumActive() =>
        Conf.Voters.Count(voter => _progress.TryGetValue(voter, out var progress) && progress.RecentActive) >= Conf.Quorum;

    private void BroadcastAppend()
    {
        foreach (var member in _progress.Keys)
        {
            if (member != Id)
            {
                SendAppend(member, sendIfEmpty: true);
            }
        }
    }

    private void BroadcastHeartbeat(ulong readContext)
    {
        foreach (var (member, progress) in _progress)
        {
            if (member != Id)
            {
                // Never tell a follower to commit past what it is known to have (it may be behind).
                var commit = LogIndex.Min(progress.Match, _log.Committed);
                Send(new Heartbeat(Id, member, Term, commit, readContext));
            }
        }
    }

    /// <summary>Sends <paramref name="to"/> what it lacks, respecting its flow control; returns true when a message was sent.</summary>
    private bool SendAppend(NodeId to, bool sendIfEmpty)
    {
        var progress = _progress[to];
        if (progress.IsPaused)
        {
            return false;
        }
        var prevIndex = progress.Next.Previous();
        var prevTerm = _log.TermAt(prevIndex);
        if (prevTerm is null || progress.Next < _log.FirstIndex)
        {
            return StartSnapshot(to, progress); // what it needs was compacted away
        }
        var entries = progress.Next <= _log.LastIndex
            ? _log.Entries(progress.Next, _log.LastIndex, _options.MaxMessageBytes)
            : [];
        if (entries.Count == 0 && !sendIfEmpty)
        {
            return false;
        }
        Send(new AppendEntries(Id, to, Term, prevIndex, prevTerm.Value, entries, _log.Committed));
        progress.SentEntries(entries.Count > 0 ? entries[^1].Index : prevIndex, entries.Count);
        return true;
    }

    private StepResult StepLeader(RaftMessage message)
    {
        if (!_progress.TryGetValue(message.From, out var progress))
        {
            return StepResult.Ignored; // not (or no longer) a member
        }
        progress.RecentActive = true;
        progress.LastHeardTick = _ticks;
        switch (message)
        {
            case AppendResponse response:
                HandleAppendResponse(response, progress);
                return StepResult.Accepted;
            case HeartbeatResponse response:
                HandleHeartbeatResponse(response, progress);
                return StepResult.Accepted;
            case SnapshotChunkResponse response:
                HandleSnapshotChunkResponse(response, progress);
                return StepResult.Accepted;
            case ReadIndexRequest request:
                HandleReadIndex(request.RequestId, request.From);
                return StepResult.Accepted;
            default:
                return StepResult.Ignored;
        }
    }

    private void HandleAppendResponse(AppendResponse response, Progress progress)
    {
        if (response.Rejected)
        {
            // Fast back-off: skip every entry of a term the follower cannot have (etcd's findConflictByTerm).
            var nextProbe = response.HintTerm > Term.Zero
                ? _log.FindConflictByTerm(response.HintIndex, response.HintTerm)
                : response.HintIndex;
            if (progress.MaybeDecreaseTo(response.Index, nextProbe))
            {
                LogMessages.AppendRejected(_logger, _group, Id, response.From, response.Index, nextProbe);
                if (progress.State == ProgressState.Replicate)
                {
                    progress.BecomeProbe();
                }
                SendAppend(response.From, sendIfEmpty: true);
            }
            return;
        }
        var wasPaused = progress.IsPaused;
        var updated = progress.MaybeUpdate(response.Index);
        // An answered probe at the known match index still proves where the follower stands (etcd does the same).
        if (!updated && !(progress.State == ProgressState.Probe && progress.Match == response.Index))
        {
            return;
        }
        switch (progress.State)
        {
            case ProgressState.Probe:
                progress.BecomeReplicate();
                break;
            case ProgressState.Snapshot when progress.PendingSnapshot is { } snapshot && progress.Match >= snapshot.Index:
                LogMessages.SnapshotInstalledOnFollower(_logger, _group, Id, response.From, snapshot.Index);
                progress.BecomeProbe();
                break;
        }
        if (MaybeCommit())
        {
            BroadcastAppend();
        }
        else if (wasPaused)
        {
            SendAppend(response.From, sendIfEmpty: true); // a follower that was paused may not know the commit index
        }
        // Keep the pipeline full.
        while (progress.Next <= _log.LastIndex && SendAppend(response.From, sendIfEmpty: false))
        {
        }
        if (response.From == _leadTransferee && progress.Match == _log.LastIndex)
        {
            Send(new TimeoutNow(Id, response.From, Term));
        }
    }

    private void HandleHeartbeatResponse(HeartbeatResponse response, Progress progress)
    {
        progress.ProbeSent = false;
        progress.FreeOneInflightIfFull(); // a lost AppendEntries must not stall the pipeline for good
        if (progress.State == ProgressState.Snapshot && progress.SnapshotChunkInFlight)
        {
            progress.SnapshotChunkInFlight = false; // the chunk may be lost: send again from the acknowledged offset
            SendSnapshotChunk(response.From, progress);
        }
        else if (progress.Match < _log.LastIndex)
        {
            SendAppend(response.From, sendIfEmpty: true);
        }
        if (response.ReadContext != 0)
        {
            AcknowledgeReads(response.From, response.ReadContext);
        }
    }

    /// <summary>Raft §5.3/§5.4.2: commit the highest index a quorum has, if it is of the current term.</summary>
    private bool MaybeCommit()
    {
        var voters = (_options.Defects & RaftDefects.LearnerCountedInQuorum) != 0 ? Conf.Voters.Union(Conf.Learners) : Conf.Voters;
        if (voters.Count == 0)
        {
            return false;
        }
        Span<ulong> matches = voters.Count <= 16 ? stackalloc ulong[voters.Count] : new ulong[voters.Count];
        var i = 0;
        foreach (var voter in voters)
        {
            matches[i++] = _progress.TryGetValue(voter, out var progress) ? progress.Match.Value : 0;
        }
        matches.Sort();
        // The quorum-th highest match: sorted ascending, it sits at Count - Quorum.
        var quorumIndex = new LogIndex(matches[voters.Count - Conf.Quorum]);
        var olderTermsByCounting = (_options.Defects & RaftDefects.CommitOlderTermByCounting) != 0;
        if (quorumIndex <= _log.Committed || (_log.TermAt(quorumIndex) != Term && !olderTermsByCounting))
        {
            return false;
        }
        _log.CommitTo(quorumIndex);
        ReleaseReadsAwaitingCommit();
        return true;
    }
}
