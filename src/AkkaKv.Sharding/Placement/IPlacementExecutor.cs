namespace AkkaKv.Sharding.Placement;

/// <summary>
/// Carries out a placement step on the shard's Raft group — add a learner (and start its replica on the node),
/// promote it, remove a replica (which then deletes its data), or transfer leadership — as an entry in that shard's
/// own log. Completes true once the group applied it, false (or faulted) when it did not; the coordinator plans
/// again either way.
/// </summary>
public interface IPlacementExecutor
{
    Task<bool> ExecuteAsync(PlacementStep step, CancellationToken cancellationToken);

    /// <summary>
    /// Makes sure the learner of <paramref name="shard"/> on <paramref name="node"/> runs (idempotent): a node that
    /// restarted before its new learner stored anything does not recover it from disk, and the learner would wait
    /// forever. The coordinator asks this every round for each learner that has not caught up.
    /// </summary>
    Task EnsureLearnerAsync(ShardId shard, NodeId node, CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>True when the learner of <paramref name="shard"/> on <paramref name="node"/> has caught up with its leader.</summary>
    Task<bool> IsCaughtUpAsync(ShardId shard, NodeId node, CancellationToken cancellationToken);

    /// <summary>
    /// The status of <paramref name="shard"/>'s leader (its applied membership and leadership), or null when no leader
    /// answered. The coordinator follows leaders with it, and corrects its configuration from it after a coordinator
    /// stopped between a group's change and its record.
    /// </summary>
    Task<ShardStatus?> LeaderStatusAsync(ShardId shard, CancellationToken cancellationToken) => Task.FromResult<ShardStatus?>(null);
}
