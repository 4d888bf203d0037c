using System.Diagnostics.Metrics;
using AkkaKv.Sharding;
using AkkaKv.Sharding.Placement;

namespace AkkaKv.Node.Metrics;

/// <summary>
/// The node's instruments (meter <c>AkkaKv</c>, one per node, so nodes sharing a process do not mix): placement
/// rounds, steps by kind and outcome, corrections, drains and coordinator stops, counted where they are logged (the
/// node running the coordinator); deleted replicas; and, read at collection, the node's replicas (held, leading,
/// quiescent), the configuration it routes by and the region's redirects. Exposed at <c>GET /metrics</c>.
/// </summary>
internal sealed class NodeMetrics : IDisposable
{
    private readonly Counter<long> _rounds;
    private readonly Counter<long> _steps;
    private readonly Counter<long> _corrections;
    private readonly Counter<long> _drained;
    private readonly Counter<long> _coordinatorStops;
    private readonly Counter<long> _replicasDeleted;
    private ReplicaCounts _replicas;

    public NodeMetrics()
    {
        Meter = new Meter("AkkaKv");
        // Listening starts with the meter: a listener sees only what is recorded after it starts.
        Exporter = new PrometheusExporter(Meter);
        _rounds = Meter.CreateCounter<long>("akkakv.placement.rounds", description: "Placement rounds that planned steps (on the coordinator's node)");
        _steps = Meter.CreateCounter<long>("akkakv.placement.steps", description: "Placement steps finished, by kind and outcome (on the coordinator's node)");
        _corrections = Meter.CreateCounter<long>("akkakv.placement.corrections", description: "Configurations corrected to what a group has (on the coordinator's node)");
        _drained = Meter.CreateCounter<long>("akkakv.placement.nodes_drained", description: "Nodes announced drained and let leave (on the coordinator's node)");
        _coordinatorStops = Meter.CreateCounter<long>("akkakv.placement.coordinator_stops", description: "Coordinators that stopped (store failure or lost leadership) on this node");
        _replicasDeleted = Meter.CreateCounter<long>("akkakv.replicas.deleted", description: "Replicas removed from this node whose data was deleted");
        Meter.CreateObservableGauge("akkakv.replicas", () => (long)_replicas.Held, description: "Shard replicas on this node (placement group excluded)");
        Meter.CreateObservableGauge("akkakv.replicas.leading", () => (long)_replicas.Leading, description: "Shard replicas on this node that lead their group");
        Meter.CreateObservableGauge("akkakv.replicas.quiescent", () => (long)_replicas.Quiescent, description: "Shard replicas on this node whose idle group is quiescent");
    }

    public Meter Meter { get; }

    /// <summary>The Prometheus rendering of this node's instruments.</summary>
    public PrometheusExporter Exporter { get; }

    /// <summary>Adds the gauges that read the node's routing state (once the node's sharding exists).</summary>
    public void Observe(ShardMapCache cache, ShardRegion region)
    {
        ArgumentNullException.ThrowIfNull(cache);
        ArgumentNullException.ThrowIfNull(region);
        Meter.CreateObservableGauge("akkakv.placement.configuration", () => cache.Current?.Number ?? 0, description: "The configuration number this node routes by");
        Meter.CreateObservableCounter("akkakv.routing.redirects", () => region.Redirects, description: "Requests sent again after a not-leader or unavailable answer");
    }

    /// <summary>Adds the counters that read the node's write-ahead log: group commits, requests, bytes and fsync time.</summary>
    public void Observe(Persistence.Wal.NodeWal wal)
    {
        ArgumentNullException.ThrowIfNull(wal);
        Meter.CreateObservableCounter("akkakv.wal.flushes", () => wal.Statistics.Flushes, description: "Group commits of the write-ahead log (each one write and one fsync)");
        Meter.CreateObservableCounter("akkakv.wal.requests", () => wal.Statistics.Requests, description: "Requests made durable by the write-ahead log (requests per flush is the batch size)");
        Meter.CreateObservableCounter("akkakv.wal.written_bytes", () => wal.Statistics.BytesWritten, description: "Bytes written by group commits");
        Meter.CreateObservableCounter("akkakv.wal.flush_seconds", () => wal.Statistics.FlushTime.TotalSeconds, description: "Time spent writing and fsyncing group commits (divided by flushes: the average fsync latency)");
    }

    /// <summary>The replica counts the gauges report, refreshed before each collection.</summary>
    public void SetReplicas(ReplicaCounts counts) => _replicas = counts;

    /// <summary>Counts one placement event.</summary>
    public void Count(PlacementEvent placementEvent)
    {
        switch (placementEvent)
        {
            case PlacementRoundPlanned:
                _rounds.Add(1);
                break;
            case PlacementStepCompleted completed:
                _steps.Add(1, new KeyValuePair<string, object?>("step", StepKind(completed.Step)), new KeyValuePair<string, object?>("outcome", "completed"));
                break;
            case PlacementStepFailed failed:
                _steps.Add(1, new KeyValuePair<string, object?>("step", StepKind(failed.Step)), new KeyValuePair<string, object?>("outcome", "failed"));
                break;
            case PlacementCorrected:
                _corrections.Add(1);
                break;
            case NodeDrained:
                _drained.Add(1);
                break;
            case PlacementCoordinatorStopped:
                _coordinatorStops.Add(1);
                break;
        }
    }

    public void CountReplicaDeleted() => _replicasDeleted.Add(1);

    private static string StepKind(PlacementStep step) => step switch
    {
        AddLearner => "add_learner",
        PromoteLearner => "promote",
        RemoveReplica => "remove",
        TransferLeader => "transfer_leader",
        _ => "other",
    };

    public void Dispose()
    {
        Exporter.Dispose();
        Meter.Dispose();
    }
}

/// <summary>This node's shard replicas: held, leading their group, quiescent.</summary>
internal readonly record struct ReplicaCounts(int Held, int Leading, int Quiescent);
