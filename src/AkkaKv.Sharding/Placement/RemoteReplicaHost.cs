using AkkaKv.Actors;

namespace AkkaKv.Sharding.Placement;

/// <summary>Starts and stops replicas by asking each node's <see cref="ReplicaManager"/> (local or through a remote actor reference).</summary>
public sealed class RemoteReplicaHost(Func<NodeId, IActorRef?> managerOf, TimeSpan timeout) : IReplicaHost
{
    public async Task StartReplicaAsync(ShardId shard, NodeId node, CancellationToken cancellationToken)
    {
        var manager = managerOf(node) ?? throw new InvalidOperationException($"{node} cannot be reached");
        await manager.Ask<ReplicaStarted>(new StartReplica(shard), timeout, cancellationToken).ConfigureAwait(false);
    }

    public async Task StopReplicaAsync(ShardId shard, NodeId node, CancellationToken cancellationToken)
    {
        var manager = managerOf(node) ?? throw new InvalidOperationException($"{node} cannot be reached");
        await manager.Ask<ReplicaStopped>(new StopReplica(shard), timeout, cancellationToken).ConfigureAwait(false);
    }
}
