using Akka.Actor;
using AkkaKv.Sharding.Placement;

namespace AkkaKv.Sharding.Hosting;

/// <summary>Starts and stops replicas for placement by asking each node's <see cref="ReplicaManagerHost"/> (local or remote).</summary>
public sealed class AkkaReplicaHost(Func<NodeId, IActorRef?> managerOf, TimeSpan timeout) : IReplicaHost
{
    public async Task StartReplicaAsync(ShardId shard, NodeId node, CancellationToken cancellationToken)
    {
        if (await AskAsync(node, new StartReplica(shard), cancellationToken).ConfigureAwait(false) is ReplicaNotStarted refused)
        {
            throw new InvalidOperationException(refused.Reason);
        }
    }

    public async Task StopReplicaAsync(ShardId shard, NodeId node, CancellationToken cancellationToken)
    {
        if (await AskAsync(node, new StopReplica(shard), cancellationToken).ConfigureAwait(false) is ReplicaNotStopped failed)
        {
            throw new InvalidOperationException($"the replica of {shard} on {node} stopped, but deleting its data failed: {failed.Reason}");
        }
    }

    private Task<ReplicaManagerReply> AskAsync(NodeId node, ReplicaManagerRequest request, CancellationToken cancellationToken)
    {
        var manager = managerOf(node) ?? throw new InvalidOperationException($"{node} cannot be reached");
        return manager.Ask<ReplicaManagerReply>(request, timeout, cancellationToken);
    }
}
