using System.Collections.Immutable;

namespace AkkaKv.Raft;

/// <summary>
/// A group's membership: voters decide elections and commits; learners receive the log but do not vote.
/// A node is in at most one of the two sets.
/// </summary>
public sealed record ConfState
{
    /// <summary>A membership of the given voters and no learners.</summary>
    public ConfState(IEnumerable<NodeId> voters, IEnumerable<NodeId>? learners = null)
    {
        ArgumentNullException.ThrowIfNull(voters);
        Voters = [.. voters];
        Learners = [.. learners ?? []];
        Invariant.Check(!Voters.Overlaps(Learners), "a node is both voter and learner");
    }

    /// <summary>No members: a replica that waits to learn its membership from a leader's snapshot.</summary>
    public static ConfState Empty { get; } = new([]);

    /// <summary>Nodes that vote and count towards quorums, in id order.</summary>
    public ImmutableSortedSet<NodeId> Voters { get; }

    /// <summary>Nodes that receive the log but do not vote, in id order.</summary>
    public ImmutableSortedSet<NodeId> Learners { get; }

    /// <summary>Voters and learners, in id order.</summary>
    public IEnumerable<NodeId> Members => Voters.Union(Learners);

    /// <summary>
    /// The log index of the membership change that made this membership (0 before any): the group's configuration
    /// epoch. Every replica that applied the change knows the same number, and it only grows, so a request can ask for a
    /// replica at least as new as the configuration it was routed by. Not part of equality.
    /// </summary>
    public LogIndex Index { get; init; }

    /// <summary>The number of voters that form a majority.</summary>
    public int Quorum => (Voters.Count / 2) + 1;

    /// <summary>True when <paramref name="node"/> is a voter or a learner.</summary>
    public bool Contains(NodeId node) => Voters.Contains(node) || Learners.Contains(node);

    /// <summary>The membership after <paramref name="change"/>; changes that change nothing return this.</summary>
    public ConfState Apply(ConfChange change)
    {
        ArgumentNullException.ThrowIfNull(change);
        return change.Kind switch
        {
            ConfChangeKind.AddVoter => new ConfState(Voters.Add(change.Node), Learners.Remove(change.Node)),
            ConfChangeKind.AddLearner when !Voters.Contains(change.Node) => new ConfState(Voters, Learners.Add(change.Node)),
            ConfChangeKind.AddLearner => this, // demoting a voter is two changes: remove, then add as learner
            ConfChangeKind.RemoveNode => new ConfState(Voters.Remove(change.Node), Learners.Remove(change.Node)),
            _ => throw new ArgumentOutOfRangeException(nameof(change), change.Kind, "unknown change"),
        };
    }

    /// <summary>Structural equality over both sets.</summary>
    public bool Equals(ConfState? other) =>
        other is not null && Voters.SetEquals(other.Voters) && Learners.SetEquals(other.Learners);

    public override int GetHashCode() => HashCode.Combine(Voters.Count, Learners.Count, Voters.FirstOrDefault());

    public override string ToString() =>
        $"voters=[{string.Join(',', Voters)}] learners=[{string.Join(',', Learners)}] epoch={Index}";
}
