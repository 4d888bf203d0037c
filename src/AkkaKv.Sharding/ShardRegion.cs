using System.Collections.Concurrent;

namespace AkkaKv.Sharding;

/// <summary>
/// Routes requests to the replicas of shards spread over nodes (Akka's ShardRegion, for Raft groups): a linearizable
/// read or scan, a write or an administrative request goes to the shard's leader as last seen (a routing cache), a
/// <see cref="NotLeader"/> answer redirects to the leader it names or the next replica, and
/// <see cref="ShardUnavailable"/> (an election, a leader transfer) is retried with a short back-off — safe, because
/// both mean nothing was applied. Serializable reads and scans go to this node's replica when it has one; eventual
/// ones go round-robin over the replicas; both carry the configuration epoch they were routed by, and a replica that
/// has not applied it refuses them (the next replica is tried). A write that is not answered in time is not retried
/// here: its outcome is unknown (<see cref="OutcomeUnknown"/>), and the client retries it with its idempotency key.
/// Runs on the caller's tasks; time (the back-off) is the injected clock's.
/// </summary>
public sealed class ShardRegion(IShardLocator locator, ShardRegionOptions options, TimeProvider time)
{
    private readonly ConcurrentDictionary<ShardId, NodeId> _leaders = new();
    private readonly ConcurrentDictionary<ShardId, int> _roundRobin = new();
    private long _redirects;

    /// <summary>A region on the system clock.</summary>
    public ShardRegion(IShardLocator locator, ShardRegionOptions options)
        : this(locator, options, TimeProvider.System)
    {
    }

    /// <summary>Requests sent again after a <see cref="NotLeader"/> or <see cref="ShardUnavailable"/> answer.</summary>
    public long Redirects => Interlocked.Read(ref _redirects);

    /// <summary>The leader this region last saw for <paramref name="shard"/>, or <see cref="NodeId.None"/>.</summary>
    public NodeId CachedLeader(ShardId shard) => _leaders.GetValueOrDefault(shard);

    /// <summary>
    /// Sends <paramref name="request"/> to the right replica of <paramref name="shard"/> and returns its reply — or,
    /// when none could serve it, why: <see cref="ShardUnavailable"/> (not applied) or <see cref="OutcomeUnknown"/>.
    /// </summary>
    public async Task<ShardReply> SendAsync(ShardId shard, ShardRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var replicas = locator.ReplicasOf(shard);
        if (replicas.Count == 0)
        {
            return new ShardUnavailable($"{shard} has no replicas in the current configuration");
        }
        switch (request)
        {
            case ReadRequest { Consistency: not ReadConsistency.Linearizable } read:
                return await AskAnyAsync(shard, read.Consistency, read with { MinEpoch = locator.EpochOf(shard) }, replicas, cancellationToken).ConfigureAwait(false);
            case ScanRequest { Consistency: not ReadConsistency.Linearizable } scan:
                return await AskAnyAsync(shard, scan.Consistency, scan with { MinEpoch = locator.EpochOf(shard) }, replicas, cancellationToken).ConfigureAwait(false);
            default:
                return await AskLeaderAsync(shard, request, replicas, cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task<ShardReply> AskLeaderAsync(ShardId shard, ShardRequest request, IReadOnlyList<NodeId> replicas, CancellationToken cancellationToken)
    {
        var target = _leaders.TryGetValue(shard, out var cached) && replicas.Contains(cached) ? cached : replicas[0];
        ShardReply? last = null;
        for (var attempt = 0; attempt < options.MaxAttempts; attempt++)
        {
            var reply = await locator.AskAsync(shard, target, request, options.RequestTimeout, cancellationToken).ConfigureAwait(false);
            if (reply is null)
            {
                if (request is WriteRequest)
                {
                    return new OutcomeUnknown($"{target} did not answer the write to {shard} within {options.RequestTimeout.TotalSeconds:0.###} s");
                }
                reply = new ShardUnavailable($"{target} did not answer");
            }
            switch (reply)
            {
                case NotLeader notLeader:
                    _leaders.TryRemove(shard, out _);
                    target = !notLeader.Leader.IsNone && replicas.Contains(notLeader.Leader) && notLeader.Leader != target
                        ? notLeader.Leader
                        : Next(replicas, target);
                    break;
                case ShardStatus status when status.Role != Raft.RaftRole.Leader && attempt + 1 < options.MaxAttempts:
                    // A status is asked of the leader: a follower's names it, or the next replica may know.
                    _leaders.TryRemove(shard, out _);
                    target = !status.Leader.IsNone && replicas.Contains(status.Leader) && status.Leader != target ? status.Leader : Next(replicas, target);
                    break;
                case ShardUnavailable:
                    target = Next(replicas, target);
                    await Task.Delay(options.RetryBackoff * (attempt + 1), time, cancellationToken).ConfigureAwait(false);
                    break;
                default:
                    _leaders[shard] = target;
                    return reply;
            }
            last = reply;
            Interlocked.Increment(ref _redirects);
        }
        return last is NotLeader or ShardStatus or null ? new ShardUnavailable($"no leader of {shard} found after {options.MaxAttempts} attempts") : last;
    }

    /// <summary>A relaxed read or scan: this node's replica first (serializable) or the next in turn (eventual), then the others.</summary>
    private async Task<ShardReply> AskAnyAsync(ShardId shard, ReadConsistency consistency, ShardRequest query, IReadOnlyList<NodeId> replicas, CancellationToken cancellationToken)
    {
        var start = consistency == ReadConsistency.Serializable && replicas.Contains(options.LocalNode)
            ? replicas.ToList().IndexOf(options.LocalNode)
            : (int)((uint)_roundRobin.AddOrUpdate(shard, 0, (_, turn) => turn + 1) % (uint)replicas.Count);
        ShardReply last = new ShardUnavailable($"no replica of {shard} answered");
        for (var attempt = 0; attempt < Math.Min(options.MaxAttempts, replicas.Count); attempt++)
        {
            var node = replicas[(start + attempt) % replicas.Count];
            var reply = await locator.AskAsync(shard, node, query, options.RequestTimeout, cancellationToken).ConfigureAwait(false);
            last = reply ?? new ShardUnavailable($"{node} did not answer");
            if (last is ReadReply or ScanReply)
            {
                return last;
            }
            Interlocked.Increment(ref _redirects);
        }
        return last;
    }

    private static NodeId Next(IReadOnlyList<NodeId> replicas, NodeId current)
    {
        for (var i = 0; i < replicas.Count; i++)
        {
            if (replicas[i] == current)
            {
                return replicas[(i + 1) % replicas.Count];
            }
        }
        return replicas[0];
    }
}
