using AkkaKv.Gateway;
using AkkaKv.Hosting.Options;
using AkkaKv.Sharding;
using Microsoft.Extensions.Options;

namespace AkkaKv.Node;

/// <summary>Node administration endpoints: <c>GET /v1/node</c> (name, shards and the shards it leads, totals).</summary>
internal static class NodeEndpoints
{
    public static IEndpointRouteBuilder MapNodeApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/v1/node", async (ShardRouter router, IOptions<NodeOptions> node, CancellationToken cancellation) =>
        {
            var shards = await router.StatusAsync(cancellation);
            return Results.Json(
                new NodeStatusDocument(
                    node.Value.Name,
                    shards.Count,
                    shards.Count(shard => shard.Role == Raft.RaftRole.Leader),
                    shards.Sum(shard => (long)shard.Keys),
                    (ulong)shards.Sum(shard => (decimal)shard.AppliedIndex.Value),
                    shards.Sum(shard => shard.PendingWrites)),
                NodeJson.Options);
        });
        return app;
    }
}
