namespace AkkaKv.Persistence;

/// <summary>What a shard replica must remember across restarts besides its entries (Raft §5: currentTerm, votedFor, commit).</summary>
public readonly record struct HardState(Term Term, NodeId Vote, LogIndex Commit);
