using AkkaKv.Actors;
using AkkaKv.Gateway;
using AkkaKv.Hosting.Options;
using AkkaKv.Sharding;
using Microsoft.Extensions.Options;

namespace AkkaKv.Node;

/// <summary>Node administration endpoints: <c>GET /v1/node</c> (name, the replicas it holds and the shards it leads, totals).</summary>
internal static class NodeEndpoints
{
    public static IEndpointRouteBuilder MapNodeApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/v1/node", async (NodeSharding sharding, IOptions<NodeOptions> node, CancellationToken cancellation) =>
        {
            // This node's own replicas (voters and learners), not the cluster's shards.
            var local = await sharding.Replicas.Ask<LocalReplicas>(GetLocalReplicas.Instance, TimeSpan.FromSeconds(5), cancellation);
            var shards = await Task.WhenAll(local.Replicas
                .Where(replica => replica.Key != Sharding.Placement.PlacementGroup.Shard)
                .Select(replica => replica.Value.Ask<ShardStatus>(GetShardStatus.Instance, TimeSpan.FromSeconds(5), cancellation)));
            return Results.Json(
                new NodeStatusDocument(
                    node.Value.Name,
                    shards.Length,
                    shards.Count(shard => shard.Role == Raft.RaftRole.Leader),
                    shards.Sum(shard => (long)shard.Keys),
                    (ulong)shards.Sum(shard => (decimal)shard.AppliedIndex.Value),
                    shards.Sum(shard => shard.PendingWrites))
                {
                    QuiescentShards = shards.Count(shard => shard.Quiescent),
                },
                NodeJson.Options);
        });
        return app;
    }
}
