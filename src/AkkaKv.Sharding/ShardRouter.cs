using AkkaKv.Actors;
using AkkaKv.Store;

namespace AkkaKv.Sharding;

/// <summary>
/// Routes key-value requests to the replica of the key's shard and awaits the reply; scans ask every shard and
/// merge. The edge between the (asynchronous) HTTP world and the shard actors.
/// </summary>
public sealed class ShardRouter
{
    private readonly IReadOnlyList<IActorRef> _shards;
    private readonly TimeSpan _timeout;

    /// <summary>A router over <paramref name="shards"/>, indexed by shard id, waiting at most <paramref name="timeout"/> per request.</summary>
    public ShardRouter(IReadOnlyList<IActorRef> shards, TimeSpan timeout)
    {
        ArgumentNullException.ThrowIfNull(shards);
        ArgumentOutOfRangeException.ThrowIfZero(shards.Count);
        _shards = shards;
        _timeout = timeout;
        Partitioner = new ShardPartitioner(shards.Count);
    }

    /// <summary>How keys map to shards.</summary>
    public ShardPartitioner Partitioner { get; }

    /// <summary>The shard replicas, by shard id.</summary>
    public IReadOnlyList<IActorRef> Shards => _shards;

    /// <summary>
    /// Replicates and applies <paramref name="command"/>: <see cref="WriteReply"/>, or <see cref="NotLeader"/> /
    /// <see cref="ShardUnavailable"/> (not applied), or <see cref="OutcomeUnknown"/>. <see cref="AskTimeoutException"/>
    /// means the outcome is unknown.
    /// </summary>
    public Task<ShardReply> WriteAsync(KvCommand command, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(command);
        return ShardFor(command.Key).Ask<ShardReply>(new WriteRequest(command), _timeout, cancellationToken);
    }

    /// <summary>Reads <paramref name="key"/>: <see cref="ReadReply"/>, or <see cref="NotLeader"/> / <see cref="ShardUnavailable"/>.</summary>
    public Task<ShardReply> GetAsync(string key, ReadConsistency consistency = ReadConsistency.Linearizable, CancellationToken cancellationToken = default) =>
        ShardFor(key).Ask<ShardReply>(new ReadRequest(key, consistency), _timeout, cancellationToken);

    /// <summary>Keys starting with <paramref name="prefix"/> across all shards, sorted, at most <paramref name="limit"/>.</summary>
    public async Task<IReadOnlyList<KeyVersion>> ScanAsync(string prefix, int limit, CancellationToken cancellationToken = default)
    {
        var replies = await Task.WhenAll(_shards.Select(shard => shard.Ask<ScanReply>(new ScanRequest(prefix, limit), _timeout, cancellationToken))).ConfigureAwait(false);
        return [.. replies.SelectMany(reply => reply.Keys).OrderBy(entry => entry.Key, StringComparer.Ordinal).Take(limit)];
    }

    /// <summary>Every shard's counters.</summary>
    public async Task<IReadOnlyList<ShardStatus>> StatusAsync(CancellationToken cancellationToken = default) =>
        await Task.WhenAll(_shards.Select(shard => shard.Ask<ShardStatus>(GetShardStatus.Instance, _timeout, cancellationToken))).ConfigureAwait(false);

    private IActorRef ShardFor(string key) => _shards[(int)Partitioner.ShardOf(key).Value];
}
