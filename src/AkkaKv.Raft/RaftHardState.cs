namespace AkkaKv.Raft;

/// <summary>The state Raft must persist before answering (Figure 2): current term, vote, and commit index.</summary>
public readonly record struct RaftHardState(Term Term, NodeId Vote, LogIndex Commit)
{
    /// <summary>The state of a replica that has never run.</summary>
    public static readonly RaftHardState Empty = new(Term.Zero, NodeId.None, LogIndex.Zero);
}
