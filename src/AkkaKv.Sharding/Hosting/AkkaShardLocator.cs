using System.Collections.Concurrent;
using Akka.Actor;
using AkkaKv.Sharding.Placement;

namespace AkkaKv.Sharding.Hosting;

/// <summary>
/// Where a shard's replicas are, for a node's <see cref="ShardRegion"/> on Akka.NET: the voters of the current
/// configuration (its recorded leader first), each at <c>/user/replicas/shard-N</c> on its node — this node's own
/// replica resolved in the local actor tree (a replica that is not running is unavailable at once, nothing is sent),
/// another node's as a remote reference at the address membership gives for it (cached per address, so a restarted
/// node on a new address is reached there).
/// </summary>
public sealed class AkkaShardLocator : IShardLocator
{
    private readonly ShardMapCache _cache;
    private readonly NodeId _self;
    private readonly ActorSystem _system;
    private readonly PeerDirectory _peers;
    private readonly ConcurrentDictionary<(Address Address, ShardId Shard), IActorRef> _remote = new();

    public AkkaShardLocator(ShardMapCache cache, NodeId self, ActorSystem system, PeerDirectory peers)
    {
        ArgumentNullException.ThrowIfNull(cache);
        ArgumentNullException.ThrowIfNull(system);
        ArgumentNullException.ThrowIfNull(peers);
        (_cache, _self, _system, _peers) = (cache, self, system, peers);
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

    public Task<ShardReply?> AskAsync(ShardId shard, NodeId node, ShardRequest request, TimeSpan timeout, CancellationToken cancellationToken) =>
        AkkaAsk.AskReplicaAsync(Resolve(shard, node), request, timeout, cancellationToken);

    /// <summary>The replica of <paramref name="shard"/> on <paramref name="node"/>, or null when it cannot be reached.</summary>
    public IActorRef? Resolve(ShardId shard, NodeId node)
    {
        var provider = ((ExtendedActorSystem)_system).Provider;
        if (node == _self)
        {
            var local = provider.ResolveActorRef(provider.DefaultAddress + ReplicaPath(shard));
            return local is ActorRefWithCell { IsTerminated: false } ? local : null;
        }
        if (_peers.AddressOf(node) is not { } address)
        {
            return null;
        }
        return _remote.GetOrAdd((address, shard), key => provider.ResolveActorRef(key.Address + ReplicaPath(key.Shard)));
    }

    private static string ReplicaPath(ShardId shard) => $"{ReplicaManagerHost.Path}/{ReplicaManagerHost.ReplicaName(shard)}";
}
