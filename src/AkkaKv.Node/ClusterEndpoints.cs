using Akka.Cluster;
using AkkaKv.Hosting.Options;
using Microsoft.Extensions.Options;

namespace AkkaKv.Node;

/// <summary>
/// Cluster administration over Akka.Cluster: <c>GET /v1/cluster</c> (members as this node sees them, leader, oldest,
/// unreachable, split-brain resolver), <c>POST /v1/cluster/members/{node}/leave</c> (graceful leave, after its replicas
/// moved off) and <c>POST /v1/cluster/members/{node}/down</c> (operator down). With <c>akkakv.remote.test-mode = on</c>
/// also <c>/v1/test/faults</c> (fault injection through Akka.Remote's transport adapters).
/// </summary>
internal static class ClusterEndpoints
{
    public static IEndpointRouteBuilder MapClusterApi(this IEndpointRouteBuilder app, bool testMode)
    {
        app.MapGet("/v1/cluster", (NodeRuntime runtime, IOptions<SplitBrainResolverSettings> resolver) => Results.Json(
            ClusterDocument.From(runtime.Cluster, new SplitBrainResolverDocument(resolver.Value.ActiveStrategy, resolver.Value.StableAfter.TotalSeconds, DownAllWhenUnstable: true)),
            NodeJson.Options));
        app.MapPost("/v1/cluster/members/{node}/leave", LeaveAsync);
        app.MapPost("/v1/cluster/members/{node}/down", (NodeRuntime runtime, string node) =>
        {
            if (MemberNamed(runtime, node) is not { } member)
            {
                return NoSuchMember(node);
            }
            runtime.Cluster.Down(member.Address);
            return Results.Json(new MemberChangeDocument(node, "Down"), NodeJson.Options, statusCode: StatusCodes.Status202Accepted);
        });
        if (testMode)
        {
            FaultEndpoints.MapFaultApi(app);
        }
        return app;
    }

    /// <summary>The newest live incarnation of the member named <paramref name="name"/>, or null.</summary>
    private static Member? MemberNamed(NodeRuntime runtime, string name) => runtime.Cluster.State.Members
        .Where(member => member.Status is not (MemberStatus.Removed or MemberStatus.Down) && ClusterDocument.NameOf(member) == name)
        .OrderBy(member => member, Member.AgeOrdering).LastOrDefault();

    private static IResult NoSuchMember(string name) => Results.Problem(statusCode: StatusCodes.Status404NotFound, title: "No such member",
        detail: $"No member named '{name}' is in the cluster (see GET /v1/cluster).");

    /// <summary>
    /// A graceful leave: the node is drained first — its replicas and leaderships move to other nodes — and then leaves
    /// the cluster (the coordinator asks it to). <c>?drain=false</c> leaves at once, as an unplaced node may.
    /// </summary>
    private static async Task<IResult> LeaveAsync(NodeRuntime runtime, NodeSharding sharding, string node, bool? drain, CancellationToken cancellation)
    {
        if (MemberNamed(runtime, node) is not { } member)
        {
            return NoSuchMember(node);
        }
        if (drain == false)
        {
            runtime.Cluster.Leave(member.Address);
            return Results.Json(new MemberChangeDocument(node, "Leaving"), NodeJson.Options, statusCode: StatusCodes.Status202Accepted);
        }
        if (Sharding.Hosting.ClusterMembershipBridge.NodeOf(member) is not { } id)
        {
            return NoSuchMember(node);
        }
        try
        {
            await sharding.Store.SetDrainingAsync(id, true, cancellation);
        }
        catch (Sharding.Placement.PlacementStoreException error)
        {
            return Results.Problem(statusCode: StatusCodes.Status503ServiceUnavailable, title: "Placement unavailable",
                detail: $"The drain of '{node}' could not be recorded: {error.Message}");
        }
        return Results.Json(new MemberChangeDocument(node, "Draining"), NodeJson.Options, statusCode: StatusCodes.Status202Accepted);
    }
}
