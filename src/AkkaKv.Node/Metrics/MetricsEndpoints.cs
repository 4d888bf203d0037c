
namespace AkkaKv.Node.Metrics;

/// <summary><c>GET /metrics</c>: the node's metrics in the Prometheus text format, for a scraper.</summary>
internal static class MetricsEndpoints
{
    public static IEndpointRouteBuilder MapMetrics(this IEndpointRouteBuilder app)
    {
        app.MapGet("/metrics", async (NodeSharding sharding, NodeMetrics metrics, CancellationToken cancellation) =>
        {
            // The replica gauges are read from the replicas themselves, as GET /v1/node does.
            var statuses = await sharding.LocalStatusesAsync(cancellation);
            metrics.SetReplicas(new ReplicaCounts(statuses.Count, statuses.Count(status => status.Role == Raft.RaftRole.Leader), statuses.Count(status => status.Quiescent)));
            return Results.Text(metrics.Exporter.Collect(), "text/plain; version=0.0.4; charset=utf-8");
        });
        return app;
    }
}
