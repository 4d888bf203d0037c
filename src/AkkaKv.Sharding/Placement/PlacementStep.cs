namespace AkkaKv.Sharding.Placement;

/// <summary>
/// One step of moving replicas, each a single change to one shard's Raft group (sequenced in that shard's own log): a
/// move is add a learner → (it catches up) → promote it → remove the old replica.
/// </summary>
public abstract record PlacementStep(ShardId Shard)
{
    /// <summary>Why the planner chose it, for the event an operator reads.</summary>
    public required string Reason { get; init; }
}

/// <summary>
/// Start a replica on <paramref name="Node"/> as a learner (it receives a snapshot and the log, but does not vote);
/// when <paramref name="Replacing"/> is set, the replica there is removed once the new one is a voter.
/// </summary>
public sealed record AddLearner(ShardId Shard, NodeId Node, NodeId Replacing = default) : PlacementStep(Shard);

/// <summary>Make the caught-up learner on <paramref name="Node"/> a voter.</summary>
public sealed record PromoteLearner(ShardId Shard, NodeId Node) : PlacementStep(Shard);

/// <summary>Remove the replica on <paramref name="Node"/> (a voter that is not the leader, or a learner); it then deletes its data.</summary>
public sealed record RemoveReplica(ShardId Shard, NodeId Node) : PlacementStep(Shard);

/// <summary>Move the shard's leadership to the voter on <paramref name="To"/>.</summary>
public sealed record TransferLeader(ShardId Shard, NodeId To) : PlacementStep(Shard);
