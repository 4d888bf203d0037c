using AkkaKv.Actors;
using AkkaKv.Sharding;

namespace AkkaKv.Node.Metrics;

/// <summary><c>GET /metrics</c>: the node's metrics in the Prometheus text format, for a scraper.</summary>
internal static class MetricsEndpoints
{
    public static IEndpointRouteBuilder MapMetrics(this IEndpointRouteBuilder app)
    {
        app.MapGet("/metrics", async (NodeSharding sharding, NodeMetrics metrics, CancellationToken cancellation) =>
        {
            // The replica gauges are read from the replicas themselves, as GET /v1/node does.
            var local = await sharding.Replicas.Ask<LocalReplicas>(GetLocalReplicas.Instance, TimeSpan.FromSeconds(5), cancellation);
            var statuses = await Task.WhenAll(local.Replicas
                .Where(replica => replica.Key != Sharding.Placement.PlacementGroup.Shard)
                .Select(replica => replica.Value.Ask<ShardStatus>(GetShardStatus.Instance, TimeSpan.FromSeconds(5), cancellation)));
            metrics.SetReplicas(new ReplicaCounts(statuses.Length, statuses.Count(status => status.Role == Raft.RaftRole.Leader), statuses.Count(status => status.Quiescent)));
            return Results.Text(metrics.Exporter.Collect(), "text/plain; version=0.0.4; charset=utf-8");
        });
        return app;
    }
}
