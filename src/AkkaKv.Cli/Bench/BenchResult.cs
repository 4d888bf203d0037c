using System.Globalization;
using System.Text;
using System.Text.Json;

namespace AkkaKv.Cli.Bench;

/// <summary>The outcome of a run: counts and latency percentiles per kind of operation.</summary>
internal sealed record BenchResult(BenchSettings Settings, TimeSpan Elapsed, IReadOnlyList<OperationStats> Operations)
{
    public string ToTable()
    {
        var text = new StringBuilder();
        text.AppendLine(CultureInfo.InvariantCulture, $"{Settings.Connections} connections, {Elapsed.TotalSeconds:0.0} s, {Settings.Keys} keys, {Settings.ValueSize}-byte values, read ratio {Settings.ReadRatio:0.##}, {Settings.Consistency}");
        text.AppendLine("OP       COUNT    ERRORS      OPS/S   P50 ms   P90 ms   P99 ms  P99.9 ms   MAX ms");
        foreach (var op in Operations)
        {
            text.AppendLine(CultureInfo.InvariantCulture,
                $"{op.Name,-6}{op.Count,8}{op.Errors,10}{op.Count / Elapsed.TotalSeconds,11:0}{op.P50Ms,9:0.00}{op.P90Ms,9:0.00}{op.P99Ms,9:0.00}{op.P999Ms,10:0.00}{op.MaxMs,9:0.00}");
        }
        return text.ToString();
    }

    public string ToJson() => JsonSerializer.Serialize(new
    {
        connections = Settings.Connections,
        elapsedSeconds = Elapsed.TotalSeconds,
        warmupSeconds = Settings.Warmup.TotalSeconds,
        keys = Settings.Keys,
        valueSize = Settings.ValueSize,
        readRatio = Settings.ReadRatio,
        consistency = Settings.Consistency,
        operations = Operations.Select(op => new
        {
            op = op.Name,
            count = op.Count,
            errors = op.Errors,
            opsPerSecond = op.Count / Elapsed.TotalSeconds,
            p50Ms = op.P50Ms,
            p90Ms = op.P90Ms,
            p99Ms = op.P99Ms,
            p999Ms = op.P999Ms,
            maxMs = op.MaxMs,
        }),
    });
}

/// <summary>One kind of operation's counts and latencies (milliseconds).</summary>
internal sealed record OperationStats(string Name, long Count, long Errors, double P50Ms, double P90Ms, double P99Ms, double P999Ms, double MaxMs)
{
    /// <summary>Stats of <paramref name="latenciesMs"/> (sorted here).</summary>
    public static OperationStats From(string name, List<double> latenciesMs, long errors)
    {
        latenciesMs.Sort();
        double At(double quantile) => latenciesMs.Count == 0 ? 0 : latenciesMs[Math.Min(latenciesMs.Count - 1, (int)Math.Ceiling(quantile * latenciesMs.Count) - 1)];
        return new OperationStats(name, latenciesMs.Count, errors, At(0.50), At(0.90), At(0.99), At(0.999), latenciesMs.Count == 0 ? 0 : latenciesMs[^1]);
    }
}
