namespace AkkaKv.Raft;

/// <summary>Elections: timeouts, PreVote, votes, role changes (Raft §5.2, §5.4.1; thesis §9.6).</summary>
public sealed partial class RaftNode
{
    private void TickElection()
    {
        _electionElapsed++;
        if (IsPromotable && _electionElapsed >= _randomizedElectionTimeout)
        {
            _electionElapsed = 0;
            Campaign(preVote: _options.PreVote, leaderTransfer: false);
        }
    }

    /// <summary>Starts an election now, as on an election timeout (for tests and operator-forced elections).</summary>
    public void Campaign()
    {
        Wake();
        if (IsPromotable && Role != RaftRole.Leader)
        {
            Campaign(preVote: _options.PreVote, leaderTransfer: false);
        }
    }

    private void Campaign(bool preVote, bool leaderTransfer)
    {
        Term electionTerm;
        if (preVote)
        {
            BecomePreCandidate();
            electionTerm = Term.Next(); // pre-votes ask about the next term without moving to it
        }
        else
        {
            BecomeCandidate();
            electionTerm = Term;
        }
        if (RecordVote(Id, granted: true) == VoteTally.Won)
        {
            WinElection();
            return;
        }
        var lastIndex = _log.LastIndex;
        var lastTerm = _log.LastTerm;
        foreach (var voter in Conf.Voters)
        {
            if (voter != Id)
            {
                SendAfterPersist(new VoteRequest(Id, voter, electionTerm, lastIndex, lastTerm, preVote, leaderTransfer));
            }
        }
    }

    private void WinElection()
    {
        if (Role == RaftRole.PreCandidate)
        {
            Campaign(preVote: false, leaderTransfer: false);
        }
        else
        {
            BecomeLeader();
        }
    }

    /// <summary>Handles a message of a higher term; returns false when the message is to be ignored.</summary>
    private bool StepHigherTerm(RaftMessage message)
    {
        if (message is VoteRequest request)
        {
            // CheckQuorum's lease: while in touch with a leader, ignore campaigns (a disruptive server must not
            // depose a healthy leader), unless the leader itself asked for the election (thesis §4.2.3).
            // A follower woken from quiescence has not heard from its leader lately: no lease until it does.
            var inLease = _options.CheckQuorum && !Leader.IsNone && !_leaderLeaseLapsed && _electionElapsed < _options.ElectionTicks;
            if (inLease && !request.LeaderTransfer)
            {
                LogMessages.IgnoredVoteInLease(_logger, _group, Id, request.From, request.Term, Leader);
                return false;
            }
            if (request.PreVote)
            {
                return true; // a pre-vote changes nobody's term
            }
        }
        if (message is VoteResponse { PreVote: true, Granted: true })
        {
            return true; // granted pre-votes carry the term we are about to campaign in
        }
        var leader = message is AppendEntries or Heartbeat or InstallSnapshot ? message.From : NodeId.None;
        BecomeFollower(message.Term, leader);
        return true;
    }

    private void StepLowerTerm(RaftMessage message)
    {
        switch (message)
        {
            case AppendEntries or Heartbeat when _options.CheckQuorum || _options.PreVote:
                // A leader cut off by a partition may be stuck in an old term while we (having pre-voted or
                // check-quorum-ed) never bump terms needlessly: tell it the current term so it steps down.
                SendAfterPersist(new AppendResponse(Id, message.From, Term, LogIndex.Zero, Rejected: false, LogIndex.Zero, Term.Zero));
                break;
            case VoteRequest { PreVote: true }:
                SendAfterPersist(new VoteResponse(Id, message.From, Term, PreVote: true, Granted: false));
                break;
        }
    }

    private void HandleVoteRequest(VoteRequest request)
    {
        if (_log.LastIndex == LogIndex.Zero)
        {
            // A replica with no log at all is new: started empty to receive a snapshot, possibly on a node whose earlier
            // replica of this group was removed and deleted. It may have voted in an earlier life under the same id,
            // and a candidate of an old configuration (cut off when the node was removed) would count its vote: it
            // votes only once a leader has given it a log (every group starts with its membership entries).
            SendAfterPersist(new VoteResponse(Id, request.From, Term, request.PreVote, Granted: false));
            return;
        }
        var canVote = Vote == request.From
            || (Vote.IsNone && Leader.IsNone)
            || (request.PreVote && request.Term > Term);
        var upToDate = _log.IsUpToDate(request.LastLogIndex, request.LastLogTerm) || (_options.Defects & RaftDefects.VoteForLessUpToDateLog) != 0;
        if (canVote && upToDate)
        {
            // A pre-vote is answered with the term it asked about, so the pre-candidate counts it.
            SendAfterPersist(new VoteResponse(Id, request.From, request.Term, request.PreVote, Granted: true));
            if (!request.PreVote)
            {
                _electionElapsed = 0;
                Vote = request.From;
                LogMessages.Voted(_logger, _group, Id, request.From, Term);
            }
        }
        else
        {
            SendAfterPersist(new VoteResponse(Id, request.From, Term, request.PreVote, Granted: false));
        }
    }

    private StepResult StepCandidate(RaftMessage message)
    {
        switch (message)
        {
            case AppendEntries or Heartbeat or InstallSnapshot:
                BecomeFollower(Term, message.From); // someone else won this term
                return StepFollower(message);
            case VoteResponse response when response.PreVote == (Role == RaftRole.PreCandidate):
                switch (RecordVote(response.From, response.Granted))
                {
                    case VoteTally.Won:
                        WinElection();
                        break;
                    case VoteTally.Lost:
                        BecomeFollower(Term, NodeId.None);
                        break;
                }
                return StepResult.Accepted;
            default:
                return StepResult.Ignored;
        }
    }

    private enum VoteTally { Pending, Won, Lost }

    private VoteTally RecordVote(NodeId voter, bool granted)
    {
        if (!Conf.Voters.Contains(voter))
        {
            return VoteTally.Pending;
        }
        _votes.TryAdd(voter, granted);
        var yes = _votes.Values.Count(vote => vote);
        var no = _votes.Count - yes;
        if (yes >= Conf.Quorum)
        {
            return VoteTally.Won;
        }
        return no > Conf.Voters.Count - Conf.Quorum ? VoteTally.Lost : VoteTally.Pending;
    }

    private void BecomeFollower(Term term, NodeId leader)
    {
        var wasLeader = Role == RaftRole.Leader;
        Reset(term);
        Role = RaftRole.Follower;
        Leader = leader;
        if (wasLeader)
        {
            LogMessages.SteppedDown(_logger, _group, Id, Term);
        }
    }

    private void BecomePreCandidate()
    {
        Invariant.Check(Role != RaftRole.Leader, "a leader does not campaign");
        // Term and vote stay as they are: a pre-vote round that fails must leave no trace (thesis §9.6).
        _votes.Clear();
        Leader = NodeId.None;
        Role = RaftRole.PreCandidate;
        var nextTerm = Term.Next();
        LogMessages.StartedPreVote(_logger, _group, Id, nextTerm);
    }

    private void BecomeCandidate()
    {
        Invariant.Check(Role != RaftRole.Leader, "a leader does not campaign");
        Reset(Term.Next());
        Vote = Id;
        Role = RaftRole.Candidate;
        LogMessages.StartedElection(_logger, _group, Id, Term);
    }

    private void BecomeLeader()
    {
        Invariant.Check(Role == RaftRole.Candidate, "only a candidate becomes leader");
        Reset(Term);
        Role = RaftRole.Leader;
        Leader = Id;
        var next = _log.LastIndex.Next();
        foreach (var member in Conf.Members)
        {
            _progress[member] = new Progress(next, _options.MaxInflightMessages);
        }
        _progress[Id].MaybeUpdate(_log.PersistedIndex);
        _progress[Id].BecomeReplicate();
        _progress[Id].RecentActive = true;
        LogMessages.BecameLeader(_logger, _group, Id, Term, _log.LastIndex);
        var noOp = new RaftEntry(next, Term, RaftEntryKind.Normal, ReadOnlyMemory<byte>.Empty);
        _log.Append([noOp]); // Raft §8: commit an entry of our term before serving reads or counting older entries
        // A membership change may be in the uncommitted tail; refuse new ones until our no-op applies, which
        // also closes the single-server-change hazard (Ongaro's 2015 erratum).
        _pendingConfIndex = noOp.Index;
        BroadcastAppend();
    }

    private void Reset(Term term)
    {
        if (Term != term)
        {
            Term = term;
            Vote = NodeId.None;
        }
        Leader = NodeId.None;
        _electionElapsed = 0;
        _heartbeatElapsed = 0;
        _quiescent = false;
        _idleTicks = 0;
        _leaderLeaseLapsed = false;
        ResetRandomizedElectionTimeout();
        _leadTransferee = NodeId.None;
        _votes.Clear();
        _progress.Clear();
        _pendingReads.Clear();
        _readsAwaitingCommit.Clear();
        _uncommittedBytes = 0;
        _broadcastPending = false;
    }
}
