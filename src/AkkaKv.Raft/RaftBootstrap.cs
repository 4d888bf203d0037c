namespace AkkaKv.Raft;

/// <summary>
/// The first entries of a new group: one committed membership change per initial member, at term 0. Every
/// replica bootstrapped with the same membership holds the same entries, and a replica added later (with an empty
/// log) learns the whole membership by replaying them — so membership lives only in the log and in snapshots.
/// </summary>
public static class RaftBootstrap
{
    /// <summary>The bootstrap entries for <paramref name="conf"/>: voters first, then learners, in id order.</summary>
    public static IReadOnlyList<RaftEntry> Entries(ConfState conf)
    {
        ArgumentNullException.ThrowIfNull(conf);
        Invariant.Check(conf.Voters.Count > 0, "a group needs at least one voter");
        var changes = conf.Voters.Select(voter => new ConfChange(ConfChangeKind.AddVoter, voter))
            .Concat(conf.Learners.Select(learner => new ConfChange(ConfChangeKind.AddLearner, learner)));
        return [.. changes.Select((change, i) => new RaftEntry(new LogIndex((ulong)i + 1), Term.Zero, RaftEntryKind.ConfChange, change.Encode()))];
    }

    /// <summary>The hard state that goes with <see cref="Entries"/>: they are committed.</summary>
    public static RaftHardState HardState(ConfState conf)
    {
        ArgumentNullException.ThrowIfNull(conf);
        return new RaftHardState(Term.Zero, NodeId.None, new LogIndex((ulong)(conf.Voters.Count + conf.Learners.Count)));
    }
}
