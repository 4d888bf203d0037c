using System.CommandLine;
using System.Globalization;

namespace AkkaKv.Cli.Bench;

/// <summary><c>akkakv bench</c>: the closed-loop load generator.</summary>
internal static class BenchCommand
{
    public static Command Create(TextWriter stdout, TextWriter stderr)
    {
        var connections = new Option<int>("--connections", "-c") { Description = "Concurrent closed-loop connections", DefaultValueFactory = _ => 64 };
        var duration = new Option<string?>("--duration", "-d") { Description = "How long to run (e.g. 10s, 2m); default 10s unless --ops is given" };
        var ops = new Option<long?>("--ops", "-n") { Description = "Stop after this many operations" };
        var warmup = new Option<string?>("--warmup") { Description = "Run the load this long first without measuring it (e.g. 5s)" };
        var keys = new Option<int>("--keys") { Description = "Size of the key space", DefaultValueFactory = _ => 100_000 };
        var valueSize = new Option<int>("--value-size") { Description = "Bytes per written value", DefaultValueFactory = _ => 256 };
        var readRatio = new Option<double>("--read-ratio") { Description = "Fraction of operations that are reads (0 = all writes, 1 = all reads)", DefaultValueFactory = _ => 0 };
        var consistency = new Option<string>("--consistency") { Description = "Read consistency: linearizable, serializable or eventual", DefaultValueFactory = _ => "linearizable" };
        var preload = new Option<bool>("--preload") { Description = "Write every key once before measuring (so reads find values)" };
        var json = new Option<bool>("--json") { Description = "Print the result as JSON" };
        var seed = new Option<int>("--seed") { Description = "Seed of key and operation choice", DefaultValueFactory = _ => 1 };
        var command = new Command("bench", "Measure throughput and latency with a closed-loop load")
        {
            connections, duration, ops, warmup, keys, valueSize, readRatio, consistency, preload, json, seed,
        };
        command.SetAction(async (parse, cancellation) =>
        {
            TimeSpan? runFor = null;
            if (parse.GetValue(duration) is { } durationText)
            {
                if (!TryParseDuration(durationText, out var parsed))
                {
                    await stderr.WriteLineAsync($"akkakv bench: --duration '{durationText}' is not a duration such as 10s or 2m");
                    return ExitCodes.Usage;
                }
                runFor = parsed;
            }
            else if (parse.GetValue(ops) is null)
            {
                runFor = TimeSpan.FromSeconds(10);
            }
            var warmFor = TimeSpan.Zero;
            if (parse.GetValue(warmup) is { } warmupText && !TryParseDuration(warmupText, out warmFor))
            {
                await stderr.WriteLineAsync($"akkakv bench: --warmup '{warmupText}' is not a duration such as 5s or 500ms");
                return ExitCodes.Usage;
            }
            var settings = new BenchSettings
            {
                Warmup = warmFor,
                Connections = parse.GetValue(connections),
                Duration = runFor,
                Operations = parse.GetValue(ops),
                Keys = parse.GetValue(keys),
                ValueSize = parse.GetValue(valueSize),
                ReadRatio = parse.GetValue(readRatio),
                Consistency = parse.GetValue(consistency)!,
                Preload = parse.GetValue(preload),
                Seed = parse.GetValue(seed),
            };
            var problems = settings.Validate();
            if (problems.Count > 0)
            {
                foreach (var problem in problems)
                {
                    await stderr.WriteLineAsync($"akkakv bench: {problem}");
                }
                return ExitCodes.Usage;
            }
            try
            {
                var result = await new LoadGenerator(settings, parse.GetValue(CliOptions.Endpoint)!, stderr, TimeProvider.System).RunAsync(cancellation);
                // --json is kept for scripts written before -o json; both mean the same.
                var asJson = parse.GetValue(json) || parse.GetValue(CliOptions.Output) == OutputFormat.Json;
                await stdout.WriteAsync(asJson ? result.ToJson() + Environment.NewLine : result.ToTable());
                return result.Operations.Sum(op => op.Count) == 0 ? ExitCodes.Unavailable : ExitCodes.Success;
            }
            catch (HttpRequestException error)
            {
                await stderr.WriteLineAsync($"akkakv bench: {error.Message}");
                return ExitCodes.Unavailable;
            }
        });
        return command;
    }

    /// <summary>Durations as <c>500ms</c>, <c>10s</c>, <c>2m</c>, <c>1h</c>.</summary>
    public static bool TryParseDuration(string text, out TimeSpan duration)
    {
        duration = default;
        var units = new (string Suffix, double Seconds)[] { ("ms", 0.001), ("s", 1), ("m", 60), ("h", 3600) };
        foreach (var (suffix, seconds) in units)
        {
            if (text.EndsWith(suffix, StringComparison.Ordinal)
                && double.TryParse(text.AsSpan(0, text.Length - suffix.Length), NumberStyles.Float, CultureInfo.InvariantCulture, out var number)
                && number > 0)
            {
                duration = TimeSpan.FromSeconds(number * seconds);
                return true;
            }
        }
        return false;
    }
}
