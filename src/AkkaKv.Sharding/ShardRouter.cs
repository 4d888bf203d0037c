using AkkaKv.Store;

namespace AkkaKv.Sharding;

/// <summary>
/// Routes key-value requests to the key's shard through the <see cref="ShardRegion"/> (the shard's leader, wherever
/// it is, or a replica for relaxed reads) and awaits the reply; scans ask every shard and merge. The edge between the
/// (asynchronous) HTTP world and the shard actors.
/// </summary>
public sealed class ShardRouter
{
    private readonly ShardRegion _region;

    /// <summary>A router over <paramref name="shardCount"/> hash shards reached through <paramref name="region"/>.</summary>
    public ShardRouter(ShardRegion region, int shardCount)
    {
        ArgumentNullException.ThrowIfNull(region);
        ArgumentOutOfRangeException.ThrowIfLessThan(shardCount, 1);
        _region = region;
        Partitioner = new ShardPartitioner(shardCount);
    }

    /// <summary>How keys map to shards.</summary>
    public ShardPartitioner Partitioner { get; }

    /// <summary>
    /// Replicates and applies <paramref name="command"/>: <see cref="WriteReply"/>, or <see cref="NotLeader"/> /
    /// <see cref="ShardUnavailable"/> (not applied), or <see cref="OutcomeUnknown"/> (applied or not: retry with the
    /// same idempotency key).
    /// </summary>
    public Task<ShardReply> WriteAsync(KvCommand command, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(command);
        return _region.SendAsync(Partitioner.ShardOf(command.Key), new WriteRequest(command), cancellationToken);
    }

    /// <summary>Reads <paramref name="key"/>: <see cref="ReadReply"/>, or <see cref="NotLeader"/> / <see cref="ShardUnavailable"/>.</summary>
    public Task<ShardReply> GetAsync(string key, ReadConsistency consistency = ReadConsistency.Linearizable, CancellationToken cancellationToken = default) =>
        _region.SendAsync(Partitioner.ShardOf(key), new ReadRequest(key, consistency), cancellationToken);

    /// <summary>
    /// Keys starting with <paramref name="prefix"/> across all shards, sorted, at most <paramref name="limit"/>, each
    /// shard read at <paramref name="consistency"/> (as a point read is).
    /// </summary>
    /// <exception cref="ShardUnavailableException">A shard could not be asked.</exception>
    public async Task<IReadOnlyList<KeyVersion>> ScanAsync(string prefix, int limit, ReadConsistency consistency = ReadConsistency.Linearizable, CancellationToken cancellationToken = default)
    {
        var request = new ScanRequest(prefix, limit, consistency);
        var replies = await Task.WhenAll(Enumerable.Range(0, Partitioner.ShardCount).Select(shard => _region.SendAsync(new ShardId((uint)shard), request, cancellationToken))).ConfigureAwait(false);
        var keys = new List<KeyVersion>();
        for (var shard = 0; shard < replies.Length; shard++)
        {
            keys.AddRange(replies[shard] is ScanReply scan ? scan.Keys : throw new ShardUnavailableException(new ShardId((uint)shard), replies[shard]));
        }
        return [.. keys.OrderBy(entry => entry.Key, StringComparer.Ordinal).Take(limit)];
    }

    /// <summary>Every shard's leader's status.</summary>
    /// <exception cref="ShardUnavailableException">A shard has no leader that answered.</exception>
    public async Task<IReadOnlyList<ShardStatus>> StatusAsync(CancellationToken cancellationToken = default)
    {
        var replies = await Task.WhenAll(Enumerable.Range(0, Partitioner.ShardCount).Select(shard => _region.SendAsync(new ShardId((uint)shard), GetShardStatus.Instance, cancellationToken))).ConfigureAwait(false);
        return [.. replies.Select((reply, shard) => reply is ShardStatus { Role: Raft.RaftRole.Leader } status ? status : throw new ShardUnavailableException(new ShardId((uint)shard), reply))];
    }
}
