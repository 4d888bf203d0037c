using System.Collections.Immutable;

namespace AkkaKv.Sharding.Placement;

/// <summary>
/// Where one shard's replicas live in one configuration: its voters, its learners (replicas catching up), its leader
/// as last reported, its epoch — the group's own configuration epoch (<see cref="Raft.ConfState.Index"/>: the log
/// index of its last membership change) as the group last reported it, never ahead of it; relaxed reads carry it so
/// that a replica of an older configuration does not answer them — and, while a move is under way, the node whose replica the new
/// one replaces (removed once the new one is a voter).
/// </summary>
public sealed record ShardReplicas(ShardId Shard, long Epoch, ImmutableSortedSet<NodeId> Voters, ImmutableSortedSet<NodeId> Learners, NodeId Leader)
{
    /// <summary>The replica a move under way replaces; <see cref="NodeId.None"/> when none.</summary>
    public NodeId Replacing { get; init; }

    /// <summary>Every node holding a replica.</summary>
    public IEnumerable<NodeId> Nodes => Voters.Concat(Learners);

    /// <summary>True when <paramref name="node"/> holds a replica (voter or learner).</summary>
    public bool IsOn(NodeId node) => Voters.Contains(node) || Learners.Contains(node);

    /// <summary>Structural equality (sets by content).</summary>
    public bool Equals(ShardReplicas? other) =>
        other is not null && Shard == other.Shard && Epoch == other.Epoch && Leader == other.Leader && Replacing == other.Replacing &&
        Voters.SetEquals(other.Voters) && Learners.SetEquals(other.Learners);

    public override int GetHashCode() => HashCode.Combine(Shard, Epoch, Leader);
}
