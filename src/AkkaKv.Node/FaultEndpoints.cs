namespace AkkaKv.Node;

/// <summary>
/// The test-mode fault API (<c>akkakv.remote.test-mode = on</c>): <c>GET /v1/test/faults</c> (the faults set, by peer
/// name), <c>PUT /v1/test/faults/{node}</c> (a fault on the link to a member: blackhole, throttle, delay, pass-through)
/// and <c>DELETE /v1/test/faults</c> (all cleared). Faults act through Akka.Remote's throttler transport adapter and
/// on this node's outgoing Raft batches (<see cref="Sharding.Hosting.AkkaLinkFaults"/>).
/// </summary>
internal static class FaultEndpoints
{
    public static void MapFaultApi(IEndpointRouteBuilder app)
    {
        app.MapGet("/v1/test/faults", (NodeRuntime runtime) => Results.Json(
            runtime.Faults!.Current.ToDictionary(pair => runtime.Peers.NameOf(pair.Key), pair => FaultDocument.From(pair.Value)), NodeJson.Options));
        app.MapPut("/v1/test/faults/{node}", async (NodeRuntime runtime, string node, HttpRequest request) =>
        {
            FaultDocument? document;
            try
            {
                document = await request.ReadFromJsonAsync<FaultDocument>(NodeJson.Options);
            }
            catch (System.Text.Json.JsonException error)
            {
                return Results.Problem(statusCode: StatusCodes.Status400BadRequest, title: "Bad request", detail: $"Not a fault document: {error.Message}");
            }
            if (document?.ToLinkFault() is not { } fault)
            {
                return Results.Problem(statusCode: StatusCodes.Status400BadRequest, title: "Bad request",
                    detail: "Expected {\"mode\":\"blackhole|pass-through|delay|throttle\",\"direction\":\"both|send|receive\",\"delayMs\":n,\"bytesPerSecond\":n}.");
            }
            if (runtime.Peers.Named(node) is not { } peer || peer.Node == runtime.Self)
            {
                return Results.Problem(statusCode: StatusCodes.Status404NotFound, title: "No such member",
                    detail: $"No live peer named '{node}' (see GET /v1/cluster).");
            }
            try
            {
                await runtime.Faults!.Set(peer.Node, peer.Address, fault);
            }
            catch (ArgumentException error)
            {
                return Results.Problem(statusCode: StatusCodes.Status400BadRequest, title: "Bad request", detail: error.Message);
            }
            return Results.NoContent();
        });
        app.MapDelete("/v1/test/faults", async (NodeRuntime runtime) =>
        {
            await runtime.Faults!.Clear();
            return Results.NoContent();
        });
    }
}
