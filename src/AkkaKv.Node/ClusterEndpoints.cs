using AkkaKv.Actors;
using AkkaKv.Cluster;

namespace AkkaKv.Node;

/// <summary>
/// Cluster administration: <c>GET /v1/cluster</c> (members as this node sees them, the leader),
/// <c>POST /v1/cluster/members/{node}/leave</c> (graceful leave, after its replicas moved off) and <c>POST /v1/cluster/members/{node}/down</c>
/// (operator down). With <c>akkakv.remote.test-mode = on</c> also <c>/v1/test/faults</c> (fault injection).
/// </summary>
internal static class ClusterEndpoints
{
    private static readonly TimeSpan AskTimeout = TimeSpan.FromSeconds(5);

    public static IEndpointRouteBuilder MapClusterApi(this IEndpointRouteBuilder app, bool testMode)
    {
        app.MapGet("/v1/cluster", async (NodeCluster cluster) => Results.Json(ClusterDocument.From(await StateAsync(cluster)), NodeJson.Options));
        app.MapPost("/v1/cluster/members/{node}/leave", LeaveAsync);
        app.MapPost("/v1/cluster/members/{node}/down", (NodeCluster cluster, string node) => ChangeAsync(cluster, node, id => new DownMember(id), "Down"));
        if (testMode)
        {
            MapFaultApi(app);
        }
        return app;
    }

    private static Task<ClusterStateReply> StateAsync(NodeCluster cluster) => cluster.Actor.Ask<ClusterStateReply>(new GetClusterState(), AskTimeout);

    private static async Task<IResult> ChangeAsync(NodeCluster cluster, string name, Func<NodeId, ClusterCommand> command, string status)
    {
        var state = await StateAsync(cluster);
        var member = state.State.Members.Values.Where(member => member.Name == name).MaxBy(member => member.Incarnation);
        if (member is null || member.Status == MemberStatus.Removed)
        {
            return Results.Problem(statusCode: StatusCodes.Status404NotFound, title: "No such member",
                detail: $"No member named '{name}' is in the cluster (see GET /v1/cluster).");
        }
        cluster.Actor.Tell(command(member.Node));
        return Results.Json(new MemberChangeDocument(name, status), NodeJson.Options, statusCode: StatusCodes.Status202Accepted);
    }

    /// <summary>
    /// A graceful leave: the node is drained first — its replicas and leaderships move to other nodes — and then leaves
    /// the cluster (the coordinator asks it to). <c>?drain=false</c> leaves at once, as an unplaced node may.
    /// </summary>
    private static async Task<IResult> LeaveAsync(NodeCluster cluster, NodeSharding sharding, string node, bool? drain, CancellationToken cancellation)
    {
        if (drain == false)
        {
            return await ChangeAsync(cluster, node, id => new LeaveCluster(id), "Leaving");
        }
        var state = await StateAsync(cluster);
        var member = state.State.Members.Values.Where(member => member.Name == node).MaxBy(member => member.Incarnation);
        if (member is null || member.Status is MemberStatus.Removed or MemberStatus.Down)
        {
            return Results.Problem(statusCode: StatusCodes.Status404NotFound, title: "No such member",
                detail: $"No member named '{node}' is in the cluster (see GET /v1/cluster).");
        }
        try
        {
            await sharding.Store.SetDrainingAsync(member.Node, true, cancellation);
        }
        catch (Sharding.Placement.PlacementStoreException error)
        {
            return Results.Problem(statusCode: StatusCodes.Status503ServiceUnavailable, title: "Placement unavailable",
                detail: $"The drain of '{node}' could not be recorded: {error.Message}");
        }
        return Results.Json(new MemberChangeDocument(node, "Draining"), NodeJson.Options, statusCode: StatusCodes.Status202Accepted);
    }

    private static void MapFaultApi(IEndpointRouteBuilder app)
    {
        app.MapGet("/v1/test/faults", (NodeCluster cluster) => Results.Json(
            cluster.Transport.Faults.Current.ToDictionary(
                pair => cluster.Directory.Members.TryGetValue(pair.Key, out var member) ? member.Name : pair.Key.ToString(),
                pair => FaultDocument.From(pair.Value)), NodeJson.Options));
        app.MapPut("/v1/test/faults/{node}", async (NodeCluster cluster, string node, HttpRequest request) =>
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
            if (cluster.Directory.Named(node) is not { } peer)
            {
                return Results.Problem(statusCode: StatusCodes.Status404NotFound, title: "No such member",
                    detail: $"No live member named '{node}' (see GET /v1/cluster).");
            }
            try
            {
                cluster.Transport.Faults.Set(peer.Node, fault);
            }
            catch (ArgumentException error)
            {
                return Results.Problem(statusCode: StatusCodes.Status400BadRequest, title: "Bad request", detail: error.Message);
            }
            return Results.NoContent();
        });
        app.MapDelete("/v1/test/faults", (NodeCluster cluster) =>
        {
            cluster.Transport.Faults.Clear();
            return Results.NoContent();
        });
    }
}
