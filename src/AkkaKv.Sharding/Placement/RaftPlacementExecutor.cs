using AkkaKv.Raft;

namespace AkkaKv.Sharding.Placement;

/// <summary>
/// Carries out placement steps on the shards' Raft groups: each step is a request to the group's leader (found
/// through the <see cref="ShardRegion"/>, which follows <see cref="NotLeader"/> hints) and so an entry in that shard's
/// own log, sequenced with its client commands. Adding a learner starts the empty replica first; removing a replica
/// stops it once the group has applied its removal. A learner has caught up when the leader reports it within
/// <paramref name="maxLagEntries"/> of the commit index.
/// </summary>
public sealed class RaftPlacementExecutor(ShardRegion region, IReplicaHost host, ulong maxLagEntries = 100) : IPlacementExecutor
{
    public async Task<bool> ExecuteAsync(PlacementStep step, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(step);
        switch (step)
        {
            case AddLearner add:
                await host.StartReplicaAsync(add.Shard, add.Node, cancellationToken).ConfigureAwait(false);
                return await ChangeAsync(add.Shard, new ConfChange(ConfChangeKind.AddLearner, add.Node), cancellationToken).ConfigureAwait(false);
            case PromoteLearner promote:
                return await ChangeAsync(promote.Shard, new ConfChange(ConfChangeKind.AddVoter, promote.Node), cancellationToken).ConfigureAwait(false);
            case RemoveReplica remove:
                if (!await ChangeAsync(remove.Shard, new ConfChange(ConfChangeKind.RemoveNode, remove.Node), cancellationToken).ConfigureAwait(false))
                {
                    return false;
                }
                await host.StopReplicaAsync(remove.Shard, remove.Node, cancellationToken).ConfigureAwait(false);
                return true;
            case TransferLeader transfer:
                return await region.SendAsync(transfer.Shard, new TransferLeadership(transfer.To), cancellationToken).ConfigureAwait(false) is AdminAccepted;
            default:
                throw new ArgumentException($"unknown step {step.GetType().Name}", nameof(step));
        }
    }

    public Task EnsureLearnerAsync(ShardId shard, NodeId node, CancellationToken cancellationToken) =>
        host.StartReplicaAsync(shard, node, cancellationToken);

    /// <summary>True when the leader of <paramref name="shard"/> reports <paramref name="node"/>'s replica caught up.</summary>
    public async Task<bool> IsCaughtUpAsync(ShardId shard, NodeId node, CancellationToken cancellationToken) =>
        await region.SendAsync(shard, GetShardStatus.Instance, cancellationToken).ConfigureAwait(false) is ShardStatus status
        && status.Role == RaftRole.Leader && status.HasCaughtUp(node, maxLagEntries);

    public async Task<ShardStatus?> LeaderStatusAsync(ShardId shard, CancellationToken cancellationToken) =>
        await region.SendAsync(shard, GetShardStatus.Instance, cancellationToken).ConfigureAwait(false) is ShardStatus { Role: RaftRole.Leader } status
            ? status
            : null;

    private async Task<bool> ChangeAsync(ShardId shard, ConfChange change, CancellationToken cancellationToken) =>
        await region.SendAsync(shard, new ChangeMembership(change), cancellationToken).ConfigureAwait(false) is AdminAccepted;
}
