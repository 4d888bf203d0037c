using System.Collections.Concurrent;
using AkkaKv.Actors;
using AkkaKv.Sharding;
using AkkaKv.Sharding.Placement;

namespace AkkaKv.Node;

/// <summary>
/// Where a shard's replicas are, for the node's <see cref="ShardRegion"/>: the voters of the current configuration
/// (its recorded leader first), each reached at <c>/user/replicas/shard-N</c> on its node — this node's own replica
/// directly, another node's through a remote reference at the address the membership gives for it.
/// </summary>
internal sealed class ClusterShardLocator(ShardMapCache cache, NodeCluster cluster, ActorSystem system) : IShardLocator
{
    private readonly ConcurrentDictionary<(string Address, ShardId Shard), IActorRef> _remote = new();

    public IReadOnlyList<NodeId> ReplicasOf(ShardId shard)
    {
        if (cache.Current?.Shards.TryGetValue(shard, out var replicas) != true)
        {
            return [];
        }
        return replicas!.Voters.Contains(replicas.Leader)
            ? [replicas.Leader, .. replicas.Voters.Where(voter => voter != replicas.Leader)]
            : [.. replicas.Voters];
    }

    public LogIndex EpochOf(ShardId shard) =>
        cache.Current?.Shards.TryGetValue(shard, out var replicas) == true ? new LogIndex((ulong)Math.Max(0, replicas!.Epoch)) : default;

    public Task<ShardReply?> AskAsync(ShardId shard, NodeId node, ShardRequest request, TimeSpan timeout, CancellationToken cancellationToken) =>
        ActorAsk.AskReplicaAsync(Resolve(shard, node), request, timeout, cancellationToken);

    private IActorRef? Resolve(ShardId shard, NodeId node)
    {
        if (node == cluster.Self.Node)
        {
            return system.ResolveLocal(["user", "replicas", ReplicaManagerActor.ReplicaName(shard)]);
        }
        if (cluster.Directory.AddressOf(node) is not { } address)
        {
            return null;
        }
        return _remote.GetOrAdd((address, shard), key => cluster.ActorOn(node, $"/user/replicas/{ReplicaManagerActor.ReplicaName(key.Shard)}")!);
    }
}
