using AkkaKv.Sharding.Hosting;
using AkkaKv.Sharding.Placement;

namespace AkkaKv.Node;

/// <summary>
/// The body of <c>GET /v1/shards</c> and <c>GET /v1/config/{n}</c>: a numbered configuration — every shard's epoch,
/// leader and replicas (voter or learner) by node name — the coordinator's node, and the placement group.
/// </summary>
internal sealed record ShardsDocument(long Configuration, string? Coordinator, IReadOnlyList<ShardDocument> Shards, ShardDocument? Placement)
{
    public static ShardsDocument From(ShardMap map, NodeId coordinator, PeerDirectory members) => new(
        map.Number,
        coordinator.IsNone ? null : NameOf(coordinator, members),
        [.. map.Shards.Values.Where(shard => shard.Shard != PlacementGroup.Shard).Select(shard => ShardDocument.From(shard, members))],
        map.Shards.TryGetValue(PlacementGroup.Shard, out var placement) ? ShardDocument.From(placement, members) : null);

    /// <summary>A node's member name, or its id when it is no longer a member.</summary>
    public static string NameOf(NodeId node, PeerDirectory members) =>
        members.NameOf(node);
}

/// <summary>One shard in <see cref="ShardsDocument"/>.</summary>
internal sealed record ShardDocument(uint Id, long Epoch, string? Leader, IReadOnlyList<ReplicaDocument> Replicas)
{
    public static ShardDocument From(ShardReplicas shard, PeerDirectory members) => new(
        shard.Shard.Value,
        shard.Epoch,
        shard.Leader.IsNone ? null : ShardsDocument.NameOf(shard.Leader, members),
        [
            .. shard.Voters.Select(node => new ReplicaDocument(ShardsDocument.NameOf(node, members), "voter")),
            .. shard.Learners.Select(node => new ReplicaDocument(ShardsDocument.NameOf(node, members), "learner")),
        ]);
}

/// <summary>A replica in <see cref="ShardDocument"/>: its node and role (<c>voter</c> or <c>learner</c>).</summary>
internal sealed record ReplicaDocument(string Node, string Role);
