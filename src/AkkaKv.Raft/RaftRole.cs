namespace AkkaKv.Raft;

/// <summary>The role a replica plays in its current term.</summary>
public enum RaftRole
{
    /// <summary>Follows a leader (or waits for one).</summary>
    Follower,

    /// <summary>Asks for pre-votes without raising its term (PreVote, thesis §9.6).</summary>
    PreCandidate,

    /// <summary>Campaigns for leadership in a new term.</summary>
    Candidate,

    /// <summary>Leads the term: the only replica that accepts proposals.</summary>
    Leader,
}
