using AkkaKv.Actors;

namespace AkkaKv.Sharding.Placement;

/// <summary>Starts and stops replicas by asking each node's <see cref="ReplicaManagerActor"/> (local or through a remote actor reference).</summary>
public sealed class RemoteReplicaHost(Func<NodeId, IActorRef?> managerOf, TimeSpan timeout) : IReplicaHost
{
    public async Task StartReplicaAsync(ShardId shard, NodeId node, CancellationToken cancellationToken)
    {
        var manager = managerOf(node) ?? throw new InvalidOperationException($"{node} cannot be reached");
        if (await manager.Ask<ReplicaManagerReply>(new StartReplica(shard), timeout, cancellationToken).ConfigureAwait(false) is ReplicaNotStarted refused)
        {
            throw new InvalidOperationException(refused.Reason);
        }
    }

    public async Task StopReplicaAsync(ShardId shard, NodeId node, CancellationToken cancellationToken)
    {
        var manager = managerOf(node) ?? throw new InvalidOperationException($"{node} cannot be reached");
        if (await manager.Ask<ReplicaManagerReply>(new StopReplica(shard), timeout, cancellationToken).ConfigureAwait(false) is ReplicaNotStopped failed)
        {
            throw new InvalidOperationException($"the replica of {shard} on {node} stopped, but deleting its data failed: {failed.Reason}");
        }
    }
}
