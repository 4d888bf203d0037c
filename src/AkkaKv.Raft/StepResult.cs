namespace AkkaKv.Raft;

/// <summary>What <see cref="RaftNode.Step"/> did with a message.</summary>
public enum StepResult
{
    /// <summary>The message was processed.</summary>
    Accepted,

    /// <summary>The message is from an older term and was ignored (or answered with the current term).</summary>
    IgnoredStaleTerm,

    /// <summary>The message was ignored: not addressed to this replica, from a non-member, or irrelevant in this role.</summary>
    Ignored,
}
