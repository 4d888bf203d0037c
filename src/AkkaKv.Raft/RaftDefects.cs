namespace AkkaKv.Raft;

/// <summary>
/// Deliberately broken behaviours, each a known way to lose safety, so tests can prove that the simulation's checks
/// catch them. Internal: set only through <see cref="RaftOptions.Defects"/> by test assemblies, never bound from
/// configuration. Production code runs with <see cref="None"/>.
/// </summary>
[Flags]
internal enum RaftDefects
{
    None = 0,

    /// <summary>A leader answers a linearizable read at its commit index without a heartbeat round (ReadIndex step 2 skipped).</summary>
    ReadsWithoutLeadershipConfirmation = 1,

    /// <summary>An entry of an earlier term is committed once a majority stores it (Raft's Figure 8; §5.4.2 forbids it).</summary>
    CommitOlderTermByCounting = 2,

    /// <summary>A replica sends votes and append acknowledgements before its journal write is durable.</summary>
    AcknowledgeBeforeDurable = 4,

    /// <summary>A vote (and pre-vote) is granted to a candidate whose log is less up to date (§5.4.1's check skipped).</summary>
    VoteForLessUpToDateLog = 8,

    /// <summary>Learners' match indexes count toward the commit quorum as if they were voters.</summary>
    LearnerCountedInQuorum = 16,
}
