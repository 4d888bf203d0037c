namespace AkkaKv.Raft;

/// <summary>Linearizable reads without log writes: ReadIndex and the optional leader lease (thesis §6.4).</summary>
public sealed partial class RaftNode
{
    private readonly List<PendingRead> _pendingReads = [];
    private readonly List<(ulong RequestId, NodeId From)> _readsAwaitingCommit = [];
    private ulong _lastReadContext;

    /// <summary>A read waiting for a quorum to confirm this leader is still the leader.</summary>
    private sealed record PendingRead(ulong Context, ulong RequestId, NodeId From, LogIndex Index)
    {
        public HashSet<NodeId> Acks { get; } = [];
    }

    private Term? _committedInTerm;

    /// <summary>
    /// True once an entry of the current term is committed. Remembered per term: the commit index only grows, and
    /// every entry after one of the current term is of the current term, so once true it stays true until the term
    /// changes — a read then needs no term lookup, which may reach the journal for an old commit index.
    /// </summary>
    private bool HasCommittedInCurrentTerm
    {
        get
        {
            if (_committedInTerm == Term)
            {
                return true;
            }
            if (_log.TermAt(_log.Committed) != Term)
            {
                return false;
            }
            _committedInTerm = Term;
            return true;
        }
    }

    private void HandleReadIndex(ulong requestId, NodeId from)
    {
        if (!HasCommittedInCurrentTerm)
        {
            // Until our no-op commits we do not know the commit index of earlier terms (§6.4 step 1).
            _readsAwaitingCommit.Add((requestId, from));
            return;
        }
        if (Conf.Voters.Count == 1 && Conf.Voters.Contains(Id))
        {
            DeliverRead(requestId, from, _log.Committed);
            return;
        }
        if ((_options.LeaseReads && IsLeaseValid()) || (_options.Defects & RaftDefects.ReadsWithoutLeadershipConfirmation) != 0)
        {
            DeliverRead(requestId, from, _log.Committed);
            return;
        }
        var read = new PendingRead(++_lastReadContext, requestId, from, _log.Committed);
        read.Acks.Add(Id);
        _pendingReads.Add(read);
        BroadcastHeartbeat(read.Context);
    }

    /// <summary>
    /// The lease: a quorum heard from within <c>ElectionTicks - LeaseDriftMarginTicks</c> ticks cannot have
    /// elected anyone else yet, since with check-quorum they ignore candidates for an election timeout.
    /// </summary>
    private bool IsLeaseValid()
    {
        var leaseTicks = _options.ElectionTicks - _options.LeaseDriftMarginTicks;
        var fresh = Conf.Voters.Count(voter =>
            voter == Id || (_progress.TryGetValue(voter, out var progress) && _ticks - progress.LastHeardTick < leaseTicks));
        return fresh >= Conf.Quorum;
    }

    private void AcknowledgeReads(NodeId from, ulong context)
    {
        if (!Conf.Voters.Contains(from))
        {
            return;
        }
        var lastConfirmed = -1;
        for (var i = 0; i < _pendingReads.Count; i++)
        {
            var read = _pendingReads[i];
            if (read.Context > context)
            {
                break;
            }
            read.Acks.Add(from);
            if (read.Acks.Count(Conf.Voters.Contains) >= Conf.Quorum)
            {
                lastConfirmed = i; // a later confirmation also confirms every earlier read
            }
        }
        for (var i = 0; i <= lastConfirmed; i++)
        {
            var read = _pendingReads[i];
            DeliverRead(read.RequestId, read.From, read.Index);
        }
        _pendingReads.RemoveRange(0, lastConfirmed + 1);
    }

    private void ReleaseReadsAwaitingCommit()
    {
        if (_readsAwaitingCommit.Count == 0 || !HasCommittedInCurrentTerm)
        {
            return;
        }
        var waiting = _readsAwaitingCommit.ToList();
        _readsAwaitingCommit.Clear();
        foreach (var (requestId, from) in waiting)
        {
            HandleReadIndex(requestId, from);
        }
    }

    private void DeliverRead(ulong requestId, NodeId from, LogIndex index)
    {
        if (from == Id)
        {
            _readStates.Add(new ReadState(requestId, index));
        }
        else
        {
            Send(new ReadIndexResponse(Id, from, Term, requestId, index));
        }
    }
}
