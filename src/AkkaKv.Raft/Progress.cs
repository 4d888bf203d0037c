namespace AkkaKv.Raft;

/// <summary>A leader's view of one member's replication (Figure 2's nextIndex/matchIndex, plus flow control).</summary>
internal sealed class Progress
{
    private readonly Queue<LogIndex> _inflight = new(); // last index of each AppendEntries in flight, oldest first
    private readonly int _maxInflight;

    public Progress(LogIndex next, int maxInflight)
    {
        Next = next;
        _maxInflight = maxInflight;
    }

    /// <summary>The highest index known to be replicated on the member.</summary>
    public LogIndex Match { get; private set; }

    /// <summary>The next index to send.</summary>
    public LogIndex Next { get; private set; }

    public ProgressState State { get; private set; } = ProgressState.Probe;

    /// <summary>In <see cref="ProgressState.Probe"/>: a probe is outstanding, so send nothing until an answer or a heartbeat response.</summary>
    public bool ProbeSent { get; set; }

    /// <summary>Heard from since the last check-quorum round.</summary>
    public bool RecentActive { get; set; }

    /// <summary>The leader tick at which this member last answered (for lease reads).</summary>
    public long LastHeardTick { get; set; }

    /// <summary>In <see cref="ProgressState.Snapshot"/>: the snapshot being sent.</summary>
    public RaftSnapshotMeta? PendingSnapshot { get; private set; }

    /// <summary>In <see cref="ProgressState.Snapshot"/>: bytes the member acknowledged.</summary>
    public long SnapshotAckedOffset { get; set; }

    /// <summary>In <see cref="ProgressState.Snapshot"/>: a chunk is awaiting acknowledgement.</summary>
    public bool SnapshotChunkInFlight { get; set; }

    public bool IsPaused => State switch
    {
        ProgressState.Probe => ProbeSent,
        ProgressState.Replicate => _inflight.Count >= _maxInflight,
        _ => true,
    };

    public void BecomeProbe()
    {
        // After a snapshot, resume right after it; otherwise after what is known to match.
        Next = State == ProgressState.Snapshot && PendingSnapshot is { } snapshot
            ? LogIndex.Max(Match.Next(), snapshot.Index.Next())
            : Match.Next();
        Reset(ProgressState.Probe);
    }

    public void BecomeReplicate()
    {
        Next = Match.Next();
        Reset(ProgressState.Replicate);
    }

    public void BecomeSnapshot(RaftSnapshotMeta snapshot)
    {
        Reset(ProgressState.Snapshot);
        PendingSnapshot = snapshot;
    }

    private void Reset(ProgressState state)
    {
        State = state;
        ProbeSent = false;
        PendingSnapshot = null;
        SnapshotAckedOffset = 0;
        SnapshotChunkInFlight = false;
        _inflight.Clear();
    }

    /// <summary>An AppendEntries ending at <paramref name="lastIndex"/> was sent.</summary>
    public void SentEntries(LogIndex lastIndex, int entryCount)
    {
        switch (State)
        {
            case ProgressState.Replicate when entryCount > 0:
                Next = lastIndex.Next();
                _inflight.Enqueue(lastIndex);
                break;
            case ProgressState.Probe:
                ProbeSent = true;
                break;
        }
    }

    /// <summary>The member acknowledged up to <paramref name="index"/>; returns false when that is old news.</summary>
    public bool MaybeUpdate(LogIndex index)
    {
        var updated = index > Match;
        if (updated)
        {
            Match = index;
            ProbeSent = false;
        }
        Next = LogIndex.Max(Next, index.Next());
        while (_inflight.Count > 0 && _inflight.Peek() <= index)
        {
            _inflight.Dequeue();
        }
        return updated;
    }

    /// <summary>Frees the oldest in-flight slot when the window is full, so a lost message cannot stall replication.</summary>
    public void FreeOneInflightIfFull()
    {
        if (State == ProgressState.Replicate && _inflight.Count >= _maxInflight)
        {
            _inflight.Dequeue();
        }
    }

    /// <summary>
    /// The member rejected an AppendEntries whose previous index was <paramref name="rejected"/>; it suggests
    /// probing from <paramref name="hint"/> + 1. Returns false when the rejection is stale.
    /// </summary>
    public bool MaybeDecreaseTo(LogIndex rejected, LogIndex hint)
    {
        if (State == ProgressState.Replicate)
        {
            if (rejected <= Match)
            {
                return false; // stale: something after it was accepted already
            }
            Next = Match.Next();
            return true;
        }
        if (Next.Previous() != rejected)
        {
            return false; // not the probe we are waiting for
        }
        Next = LogIndex.Max(LogIndex.Min(rejected, hint.Next()), Match.Next());
        ProbeSent = false;
        return true;
    }

    public override string ToString() => $"{State} match={Match} next={Next}";
}
