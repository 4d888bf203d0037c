using System.Globalization;
using Akka.Actor;
using AkkaKv.Sharding.Placement;

namespace AkkaKv.Node;

/// <summary>
/// Placement administration: <c>GET /v1/shards</c> (the current configuration as this node last heard it from the
/// coordinator), <c>GET /v1/shards/{id}</c> (one shard), <c>GET /v1/config/{n}</c> (configuration n, read from the
/// placement group), <c>GET /v1/placement/events</c> (the coordinator's recent rounds and steps).
/// </summary>
internal static class ShardEndpoints
{
    public static IEndpointRouteBuilder MapShardApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/v1/shards", (NodeSharding sharding, NodeRuntime runtime) =>
            sharding.Cache.Current is { } map
                ? Results.Json(ShardsDocument.From(map, sharding.Cache.Coordinator, runtime.Peers), NodeJson.Options)
                : NotKnownYet());
        app.MapGet("/v1/shards/{id}", (NodeSharding sharding, NodeRuntime runtime, string id) =>
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
                ? Results.Json(ShardDocument.From(shard, runtime.Peers), NodeJson.Options)
                : Problem(StatusCodes.Status404NotFound, "No such shard", $"There is no shard {id}; shards are 0 to {sharding.ShardCount - 1}.");
        });
        app.MapGet("/v1/config/{n}", async (NodeSharding sharding, NodeRuntime runtime, string n, CancellationToken cancellation) =>
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
                ? Results.Json(ShardsDocument.From(map, NodeId.None, runtime.Peers), NodeJson.Options)
                : Problem(StatusCodes.Status404NotFound, "No such configuration",
                    $"Configuration {number} was never made (the current one is {sharding.Cache.Current?.Number.ToString(CultureInfo.InvariantCulture) ?? "not known here yet"}).");
        });
        app.MapGet("/v1/placement/events", async (NodeSharding sharding, NodeRuntime runtime, HttpRequest request, CancellationToken cancellation) =>
        {
            var limit = 100;
            if (request.Query.TryGetValue("limit", out var text) &&
                (!int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out limit) || limit < 1 || limit > 500))
            {
                return Problem(StatusCodes.Status400BadRequest, "Bad request", "limit must be an integer from 1 to 500.");
            }
            try
            {
                var list = await sharding.Host.Ask<PlacementEventList>(new GetPlacementEvents(limit), TimeSpan.FromSeconds(5), cancellation);
                return Results.Json(PlacementEventsDocument.From(list, runtime.Peers), NodeJson.Options);
            }
            catch (AskTimeoutException)
            {
                return Problem(StatusCodes.Status503ServiceUnavailable, "Placement unavailable", "The coordinator's node did not answer in time.");
            }
        });
        return app;
    }

    private static IResult NotKnownYet() =>
        Problem(StatusCodes.Status503ServiceUnavailable, "Configuration not known yet", "This node has not yet heard the current configuration from the coordinator.");

    private static IResult Problem(int status, string title, string detail) => Results.Problem(statusCode: status, title: title, detail: detail);
}
