using AkkaKv.Gateway;
using AkkaKv.Hosting.Options;
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
            var shards = await sharding.LocalStatusesAsync(cancellation);
            return Results.Json(
                new NodeStatusDocument(
                    node.Value.Name,
                    shards.Count,
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
