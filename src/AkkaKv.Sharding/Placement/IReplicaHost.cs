namespace AkkaKv.Sharding.Placement;

/// <summary>Starts and stops shard replicas on nodes (locally, or by asking the node over the network).</summary>
public interface IReplicaHost
{
    /// <summary>Starts an empty replica of <paramref name="shard"/> on <paramref name="node"/>; the group's leader sends it a snapshot and the log.</summary>
    Task StartReplicaAsync(ShardId shard, NodeId node, CancellationToken cancellationToken);

    /// <summary>Stops the replica of <paramref name="shard"/> on <paramref name="node"/> (removed from its group) and frees what it held.</summary>
    Task StopReplicaAsync(ShardId shard, NodeId node, CancellationToken cancellationToken);
}
