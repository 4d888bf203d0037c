using System.Collections.Concurrent;
using Akka.Actor;
using AkkaKv.Sharding.Placement;

namespace AkkaKv.Sharding.Hosting;

/// <summary>
/// Where a shard's replicas are, for a node's <see cref="ShardRegion"/> on Akka.NET: the voters of the current
/// configuration (its recorded leader first), each at <c>/user/replicas/shard-N</c> on its node. This node's own
/// replica is resolved in the local actor tree (a replica that is not running is unavailable at once, nothing is sent)
/// and handed the request with a reply target that completes the asker's task, with no temporary actor; another
/// node's replicas are asked through <see cref="ShardTraffic"/>, batched with the other requests for that node.
/// </summary>
public sealed class AkkaShardLocator : IShardLocator
{
    private readonly ShardMapCache _cache;
    private readonly NodeId _self;
    private readonly ActorSystem _system;
    private readonly PeerDirectory _peers;
    private readonly ShardTraffic _traffic;
    private readonly ConcurrentDictionary<(Address Address, ShardId Shard), IActorRef> _remote = new();
    private readonly ConcurrentDictionary<ShardId, IActorRef> _local = new();

    public AkkaShardLocator(ShardMapCache cache, NodeId self, ActorSystem system, PeerDirectory peers, ShardTraffic traffic)
    {
        ArgumentNullException.ThrowIfNull(cache);
        ArgumentNullException.ThrowIfNull(system);
        ArgumentNullException.ThrowIfNull(peers);
        ArgumentNullException.ThrowIfNull(traffic);
        (_cache, _self, _system, _peers, _traffic) = (cache, self, system, peers, traffic);
    }

    public IReadOnlyList<NodeId> ReplicasOf(ShardId shard)
    {
        if (_cache.Current?.Shards.TryGetValue(shard, out var replicas) != true)
        {
            return [];
        }
        return replicas!.Voters.Contains(replicas.Leader)
            ? [replicas.Leader, .. replicas.Voters.Where(voter => voter != replicas.Leader)]
            : [.. replicas.Voters];
    }

    public LogIndex EpochOf(ShardId shard) =>
        _cache.Current?.Shards.TryGetValue(shard, out var replicas) == true ? new LogIndex((ulong)Math.Max(0, replicas!.Epoch)) : default;

    public Task<ShardReply?> AskAsync(ShardId shard, NodeId node, ShardRequest request, TimeSpan timeout, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (node != _self)
        {
            return _traffic.AskAsync(node, shard, request, timeout, cancellationToken);
        }
        if (Resolve(shard, node) is not { } replica)
        {
            return Task.FromResult<ShardReply?>(new ShardUnavailable("the replica is not running on this node"));
        }
        var completion = new TaskCompletionSource<ShardReply?>(TaskCreationOptions.RunContinuationsAsynchronously);
        replica.Tell(new ReplyingShardRequest(request, new CompletionReplyTo(completion)));
        return AkkaAsk.AnswerOrNullAsync(completion.Task, timeout, cancellationToken);
    }

    /// <summary>The replica of <paramref name="shard"/> on <paramref name="node"/>, or null when it cannot be reached.</summary>
    public IActorRef? Resolve(ShardId shard, NodeId node)
    {
        var provider = ((ExtendedActorSystem)_system).Provider;
        if (node == _self)
        {
            // Cached while it runs: resolving a path walks the actor tree; a stopped replica (moved away, restarted) is looked up again.
            if (_local.TryGetValue(shard, out var cached) && cached is ActorRefWithCell { IsTerminated: false })
            {
                return cached;
            }
            var local = provider.ResolveActorRef(provider.DefaultAddress + ReplicaPath(shard));
            if (local is ActorRefWithCell { IsTerminated: false })
            {
                _local[shard] = local;
                return local;
            }
            return null;
        }
        if (_peers.AddressOf(node) is not { } address)
        {
            return null;
        }
        return _remote.GetOrAdd((address, shard), key => provider.ResolveActorRef(key.Address + ReplicaPath(key.Shard)));
    }

    private static string ReplicaPath(ShardId shard) => $"{ReplicaManagerHost.Path}/{ReplicaManagerHost.ReplicaName(shard)}";
}
