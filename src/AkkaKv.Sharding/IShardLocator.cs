namespace AkkaKv.Sharding;

/// <summary>Where a shard's replicas are (from the current configuration), and how to ask one of them.</summary>
public interface IShardLocator
{
    /// <summary>The nodes holding voters of <paramref name="shard"/>, in a stable order.</summary>
    IReadOnlyList<NodeId> ReplicasOf(ShardId shard);

    /// <summary>
    /// The configuration epoch of <paramref name="shard"/> that <see cref="ReplicasOf"/> reflects (0 when unknown):
    /// relaxed reads carry it so that a replica behind that configuration does not answer them.
    /// </summary>
    LogIndex EpochOf(ShardId shard) => default;

    /// <summary>
    /// Sends <paramref name="request"/> to the replica of <paramref name="shard"/> on <paramref name="node"/> and
    /// awaits its answer: the reply; <see cref="ShardUnavailable"/> when the replica cannot be reached (nothing was
    /// sent); null when it did not answer within <paramref name="timeout"/> (a write's outcome is then unknown).
    /// </summary>
    Task<ShardReply?> AskAsync(ShardId shard, NodeId node, ShardRequest request, TimeSpan timeout, CancellationToken cancellationToken);
}
