using System.Diagnostics.Metrics;
using AkkaKv.Node.Metrics;

namespace AkkaKv.Node.Tests;

/// <summary>
/// The Prometheus text the node serves at <c>/metrics</c>: counters summed per label set (as <c>_total</c>), gauges
/// read at collection, labels sorted and escaped, and only the node's own meter (two nodes in one process keep their
/// figures apart). Method: instruments on private meters, the rendered text compared line by line.
/// </summary>
public sealed class PrometheusExporterTests
{
    [Fact]
    public void Counters_sum_per_label_set_and_gauges_are_read_at_collection()
    {
        using var meter = new Meter("AkkaKv");
        using var exporter = new PrometheusExporter(meter);
        var steps = meter.CreateCounter<long>("akkakv.placement.steps", description: "Steps");
        var level = 3L;
        meter.CreateObservableGauge("akkakv.replicas", () => level, description: "Replicas");
        steps.Add(1, new("step", "promote"), new("outcome", "completed"));
        steps.Add(2, new("outcome", "completed"), new("step", "promote"));
        steps.Add(1, new("step", "remove"), new("outcome", "failed"));

        var text = exporter.Collect().Split('\n');
        Assert.Contains("# TYPE akkakv_placement_steps_total counter", text);
        Assert.Contains("# HELP akkakv_placement_steps_total Steps", text);
        Assert.Contains("akkakv_placement_steps_total{outcome=\"completed\",step=\"promote\"} 3", text);
        Assert.Contains("akkakv_placement_steps_total{outcome=\"failed\",step=\"remove\"} 1", text);
        Assert.Contains("# TYPE akkakv_replicas gauge", text);
        Assert.Contains("akkakv_replicas 3", text);
        level = 5;
        Assert.Contains("akkakv_replicas 5", exporter.Collect().Split('\n'));
    }

    [Fact]
    public void Label_values_are_escaped_and_another_meter_of_the_same_name_is_not_listened_to()
    {
        using var mine = new Meter("AkkaKv");
        using var other = new Meter("AkkaKv");
        using var exporter = new PrometheusExporter(mine);
        mine.CreateCounter<long>("akkakv.things").Add(1, new KeyValuePair<string, object?>("why", "a \"quoted\"\nline\\"));
        other.CreateCounter<long>("akkakv.others").Add(7);
        var text = exporter.Collect();
        Assert.Contains("akkakv_things_total{why=\"a \\\"quoted\\\"\\nline\\\\\"} 1\n", text, StringComparison.Ordinal);
        Assert.DoesNotContain("akkakv_others", text, StringComparison.Ordinal);
    }
}
