using System.Globalization;
using AkkaKv.Sharding.Placement;

namespace AkkaKv.Node;

/// <summary>
/// Placement administration: <c>GET /v1/shards</c> (the current configuration as this node last heard it from the
/// coordinator), <c>GET /v1/shards/{id}</c> (one shard), <c>GET /v1/config/{n}</c> (configuration n, read from the
/// placement group).
/// </summary>
internal static class ShardEndpoints
{
    public static IEndpointRouteBuilder MapShardApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/v1/shards", (NodeSharding sharding, NodeCluster cluster) =>
            sharding.Cache.Current is { } map
                ? Results.Json(ShardsDocument.From(map, sharding.Cache.Coordinator, cluster.Directory), NodeJson.Options)
                : NotKnownYet());
        app.MapGet("/v1/shards/{id}", (NodeSharding sharding, NodeCluster cluster, string id) =>
        {
            if (!uint.TryParse(id, NumberStyles.None, CultureInfo.InvariantCulture, out var number))
            {
                return Problem(StatusCodes.Status400BadRequest, "Bad request", $"'{id}' is not a shard id (0 to {sharding.ShardCount - 1}).");
            }
            if (sharding.Cache.Current is not { } map)
            {
                return NotKnownYet();
            }
            return map.Shards.TryGetValue(new ShardId(number), out var shard) && shard.Shard != PlacementGroup.Shard
                ? Results.Json(ShardDocument.From(shard, cluster.Directory), NodeJson.Options)
                : Problem(StatusCodes.Status404NotFound, "No such shard", $"There is no shard {id}; shards are 0 to {sharding.ShardCount - 1}.");
        });
        app.MapGet("/v1/config/{n}", async (NodeSharding sharding, NodeCluster cluster, string n, CancellationToken cancellation) =>
        {
            if (!long.TryParse(n, NumberStyles.None, CultureInfo.InvariantCulture, out var number) || number < 1)
            {
                return Problem(StatusCodes.Status400BadRequest, "Bad request", $"'{n}' is not a configuration number (1 or more).");
            }
            ShardMap? map;
            try
            {
                map = await sharding.Store.LoadAsync(number, cancellation);
            }
            catch (PlacementStoreException error)
            {
                return Problem(StatusCodes.Status503ServiceUnavailable, "Placement unavailable", error.Message);
            }
            return map is not null
                ? Results.Json(ShardsDocument.From(map, NodeId.None, cluster.Directory), NodeJson.Options)
                : Problem(StatusCodes.Status404NotFound, "No such configuration",
                    $"Configuration {number} was never made (the current one is {sharding.Cache.Current?.Number.ToString(CultureInfo.InvariantCulture) ?? "not known here yet"}).");
        });
        return app;
    }

    private static IResult NotKnownYet() =>
        Problem(StatusCodes.Status503ServiceUnavailable, "Configuration not known yet", "This node has not yet heard the current configuration from the coordinator.");

    private static IResult Problem(int status, string title, string detail) => Results.Problem(statusCode: status, title: title, detail: detail);
}
