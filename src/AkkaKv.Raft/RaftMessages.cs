namespace AkkaKv.Raft;

/// <summary>
/// Messages between the replicas of one Raft group (a closed family). Every message carries its sender's term;
/// the host adds the group id when it ships them.
/// </summary>
public abstract record RaftMessage
{
    private protected RaftMessage(NodeId from, NodeId to, Term term)
    {
        From = from;
        To = to;
        Term = term;
    }

    /// <summary>The sending replica.</summary>
    public NodeId From { get; init; }

    /// <summary>The receiving replica.</summary>
    public NodeId To { get; init; }

    /// <summary>The sender's term (for a pre-vote, the term it would campaign in).</summary>
    public Term Term { get; init; }
}

/// <summary>Asks for a vote (Raft §5.2) or a pre-vote (thesis §9.6). Answered with <see cref="VoteResponse"/>.</summary>
/// <param name="LastLogIndex">The candidate's last index, for the election restriction (§5.4.1).</param>
/// <param name="LastLogTerm">The term of that entry.</param>
/// <param name="PreVote">True for a pre-vote: nobody changes term or vote.</param>
/// <param name="LeaderTransfer">True when the current leader asked for this election (TimeoutNow): voters skip their lease check.</param>
/// <param name="From">The sender.</param>
/// <param name="To">The receiver.</param>
/// <param name="Term">The sender's term.</param>
public sealed record VoteRequest(NodeId From, NodeId To, Term Term, LogIndex LastLogIndex, Term LastLogTerm, bool PreVote, bool LeaderTransfer)
    : RaftMessage(From, To, Term);

/// <summary>The answer to a <see cref="VoteRequest"/>.</summary>
public sealed record VoteResponse(NodeId From, NodeId To, Term Term, bool PreVote, bool Granted)
    : RaftMessage(From, To, Term);

/// <summary>Replicates entries after <paramref name="PrevIndex"/> (Raft §5.3). Answered with <see cref="AppendResponse"/>.</summary>
/// <param name="PrevIndex">The index just before the first entry.</param>
/// <param name="PrevTerm">The term at <paramref name="PrevIndex"/>, for the consistency check.</param>
/// <param name="Entries">Contiguous entries from <c>PrevIndex + 1</c>; may be empty (a probe).</param>
/// <param name="Commit">The leader's commit index.</param>
/// <param name="From">The sender.</param>
/// <param name="To">The receiver.</param>
/// <param name="Term">The sender's term.</param>
public sealed record AppendEntries(NodeId From, NodeId To, Term Term, LogIndex PrevIndex, Term PrevTerm, IReadOnlyList<RaftEntry> Entries, LogIndex Commit)
    : RaftMessage(From, To, Term);

/// <summary>The answer to <see cref="AppendEntries"/> (or a completed snapshot install).</summary>
/// <param name="Index">On success the follower's last matching index; on rejection the rejected PrevIndex.</param>
/// <param name="Rejected">True when the consistency check failed.</param>
/// <param name="HintIndex">On rejection: the largest index at or below <paramref name="Index"/> whose term is at most the leader's PrevTerm (fast back-off).</param>
/// <param name="HintTerm">The term at <paramref name="HintIndex"/>.</param>
/// <param name="From">The sender.</param>
/// <param name="To">The receiver.</param>
/// <param name="Term">The sender's term.</param>
public sealed record AppendResponse(NodeId From, NodeId To, Term Term, LogIndex Index, bool Rejected, LogIndex HintIndex, Term HintTerm)
    : RaftMessage(From, To, Term);

/// <summary>The leader's heartbeat; <paramref name="ReadContext"/> non-zero confirms leadership for ReadIndex. Answered with <see cref="HeartbeatResponse"/>.</summary>
/// <param name="Commit">The commit index, capped at what the follower is known to have.</param>
/// <param name="ReadContext">The newest ReadIndex round the leader wants confirmed, or 0.</param>
/// <param name="From">The sender.</param>
/// <param name="To">The receiver.</param>
/// <param name="Term">The sender's term.</param>
public sealed record Heartbeat(NodeId From, NodeId To, Term Term, LogIndex Commit, ulong ReadContext)
    : RaftMessage(From, To, Term)
{
    /// <summary>The leader's last heartbeat before it quiesces the group: a follower that has everything committed sleeps too, and does not answer.</summary>
    public bool Quiesce { get; init; }
}

/// <summary>The answer to a <see cref="Heartbeat"/>.</summary>
public sealed record HeartbeatResponse(NodeId From, NodeId To, Term Term, ulong ReadContext)
    : RaftMessage(From, To, Term);

/// <summary>
/// One chunk of a snapshot (InstallSnapshot, Raft §7). Chunks are sent in order, one awaiting acknowledgement at a
/// time. Answered with <see cref="SnapshotChunkResponse"/>, or with <see cref="AppendResponse"/> after the last chunk.
/// </summary>
/// <param name="Snapshot">The snapshot being sent.</param>
/// <param name="Offset">Where <paramref name="Data"/> starts in the snapshot's bytes.</param>
/// <param name="Data">The chunk.</param>
/// <param name="Done">True for the last chunk.</param>
/// <param name="From">The sender.</param>
/// <param name="To">The receiver.</param>
/// <param name="Term">The sender's term.</param>
public sealed record InstallSnapshot(NodeId From, NodeId To, Term Term, RaftSnapshotMeta Snapshot, long Offset, ReadOnlyMemory<byte> Data, bool Done)
    : RaftMessage(From, To, Term);

/// <summary>Acknowledges snapshot chunks: the receiver has <paramref name="NextOffset"/> bytes of the snapshot at <paramref name="SnapshotIndex"/>.</summary>
public sealed record SnapshotChunkResponse(NodeId From, NodeId To, Term Term, LogIndex SnapshotIndex, long NextOffset)
    : RaftMessage(From, To, Term);

/// <summary>Tells the leader-transfer target to campaign at once (thesis §3.10).</summary>
public sealed record TimeoutNow(NodeId From, NodeId To, Term Term)
    : RaftMessage(From, To, Term);

/// <summary>A follower forwards a ReadIndex request to its leader. Answered with <see cref="ReadIndexResponse"/>.</summary>
public sealed record ReadIndexRequest(NodeId From, NodeId To, Term Term, ulong RequestId)
    : RaftMessage(From, To, Term);

/// <summary>The leader's answer to a forwarded ReadIndex: reads may be served once <paramref name="Index"/> is applied.</summary>
public sealed record ReadIndexResponse(NodeId From, NodeId To, Term Term, ulong RequestId, LogIndex Index)
    : RaftMessage(From, To, Term);
