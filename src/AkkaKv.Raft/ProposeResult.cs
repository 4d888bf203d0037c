namespace AkkaKv.Raft;

/// <summary>The outcome of <see cref="RaftNode.Propose"/>, <see cref="RaftNode.ProposeConfChange"/> or <see cref="RaftNode.ReadIndex"/>.</summary>
public abstract record ProposeResult
{
    private protected ProposeResult() { }

    /// <summary>Appended at <paramref name="Index"/> in <paramref name="Term"/>; committed only if that entry survives.</summary>
    public sealed record Accepted(LogIndex Index, Term Term) : ProposeResult;

    /// <summary>This replica is not the leader; <paramref name="LeaderHint"/> is the leader it knows of, or none.</summary>
    public sealed record NotLeader(NodeId LeaderHint) : ProposeResult;

    /// <summary>Refused without effect: <paramref name="Reason"/> says why (leader transfer, a change in flight, backpressure).</summary>
    public sealed record Dropped(string Reason) : ProposeResult;
}
