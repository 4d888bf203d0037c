using AkkaKv.Raft;
using AkkaKv.Sharding;
using AkkaKv.Sharding.Placement;
using AkkaKv.TestKit.Simulation;

namespace AkkaKv.Simulation.Tests.Cluster;

/// <summary>
/// Carries out placement steps on the simulated cluster's real groups, as <see cref="RaftPlacementExecutor"/> does on
/// a node: start the empty replica on its node's replica manager, then the membership change through the shard's
/// leader; after a removal, stop the replica (which deletes its data). Deterministic: every request goes through
/// <see cref="SimAsk"/>.
/// </summary>
internal sealed class SimPlacementExecutor(SimAsk ask, SimShardSender sender, Func<NodeId, SimClusterNode?> nodeOf, ulong maxLagEntries = 20) : IPlacementExecutor
{
    private static readonly TimeSpan HostTimeout = TimeSpan.FromSeconds(2);

    public async Task<bool> ExecuteAsync(PlacementStep step, CancellationToken cancellationToken)
    {
        switch (step)
        {
            case AddLearner add:
                if (await AskManagerAsync(add.Node, new StartReplica(add.Shard)).ConfigureAwait(false) is not ReplicaStarted)
                {
                    return false;
                }
                return await ChangeAsync(add.Shard, new ConfChange(ConfChangeKind.AddLearner, add.Node)).ConfigureAwait(false);
            case PromoteLearner promote:
                return await ChangeAsync(promote.Shard, new ConfChange(ConfChangeKind.AddVoter, promote.Node)).ConfigureAwait(false);
            case RemoveReplica remove:
                if (!await ChangeAsync(remove.Shard, new ConfChange(ConfChangeKind.RemoveNode, remove.Node)).ConfigureAwait(false))
                {
                    return false;
                }
                if (await AskManagerAsync(remove.Node, new StopReplica(remove.Shard)).ConfigureAwait(false) is not ReplicaStopped)
                {
                    throw new InvalidOperationException($"{remove.Node} did not confirm stopping its replica of {remove.Shard}");
                }
                return true;
            case TransferLeader transfer:
                return await sender.SendAsync(transfer.Shard, new TransferLeadership(transfer.To)).ConfigureAwait(false) is AdminAccepted;
            default:
                throw new ArgumentException($"unknown step {step.GetType().Name}", nameof(step));
        }
    }

    public Task EnsureLearnerAsync(ShardId shard, NodeId node, CancellationToken cancellationToken) =>
        AskManagerAsync(node, new StartReplica(shard));

    private Task<object?> AskManagerAsync(NodeId node, ReplicaManagerRequest request) =>
        ask.AskAsync<ReplicaManagerReply>(replyTo => nodeOf(node)?.AskManager(request, replyTo) ?? false, HostTimeout);

    public async Task<bool> IsCaughtUpAsync(ShardId shard, NodeId node, CancellationToken cancellationToken) =>
        await sender.SendAsync(shard, GetShardStatus.Instance).ConfigureAwait(false) is ShardStatus { Role: RaftRole.Leader } status
        && status.HasCaughtUp(node, maxLagEntries);

    public async Task<ShardStatus?> LeaderStatusAsync(ShardId shard, CancellationToken cancellationToken) =>
        await sender.SendAsync(shard, GetShardStatus.Instance).ConfigureAwait(false) as ShardStatus is { Role: RaftRole.Leader } status ? status : null;

    private async Task<bool> ChangeAsync(ShardId shard, ConfChange change) =>
        await sender.SendAsync(shard, new ChangeMembership(change)).ConfigureAwait(false) is AdminAccepted;
}
