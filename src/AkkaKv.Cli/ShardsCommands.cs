using System.CommandLine;
using System.Globalization;
using System.Text;
using System.Text.Json;

namespace AkkaKv.Cli;

/// <summary><c>akkakv shards list|show|events</c>: the placement of shards on nodes, current or past, and the coordinator's events.</summary>
internal static class ShardsCommands
{
    private static readonly string[] Header = ["SHARD", "EPOCH", "LEADER", "VOTERS", "LEARNERS"];
    private static readonly string[] ShardHeader = ["NODE", "ROLE", "LEADER"];

    public static Command Create(TextWriter stdout, TextWriter stderr)
    {
        var configuration = new Option<long?>("--config")
        {
            Description = "Show configuration N (current or past) instead of the current one",
        };
        var list = new Command("list", "List every shard: its epoch, leader and replicas, and the replicas and leaders per node") { configuration };
        list.SetAction((parse, cancellation) => CliRunner.RunAsync(parse, stderr, async client =>
        {
            var number = parse.GetValue(configuration);
            if (number is < 1)
            {
                await stderr.WriteLineAsync("akkakv: --config must be 1 or more");
                return ExitCodes.Usage;
            }
            using var document = number is { } n ? await client.ConfigurationAsync(n, cancellation) : await client.ShardsAsync(cancellation);
            await stdout.WriteAsync(parse.GetValue(CliOptions.Output) == OutputFormat.Json
                ? document.RootElement.GetRawText() + Environment.NewLine
                : FormatTable(document.RootElement));
            return ExitCodes.Success;
        }));

        var id = new Argument<uint>("id") { Description = "The shard's number, as `akkakv shards list` prints it" };
        var show = new Command("show", "Show one shard: its epoch, leader and each replica with its role") { id };
        show.SetAction((parse, cancellation) => CliRunner.RunAsync(parse, stderr, async client =>
        {
            using var document = await client.ShardAsync(parse.GetValue(id), cancellation);
            await stdout.WriteAsync(parse.GetValue(CliOptions.Output) == OutputFormat.Json
                ? document.RootElement.GetRawText() + Environment.NewLine
                : FormatShard(document.RootElement));
            return ExitCodes.Success;
        }));

        var limit = new Option<int>("--limit") { Description = "How many of the newest events (1-500)", DefaultValueFactory = _ => 50 };
        var events = new Command("events", "Show the placement coordinator's recent rounds and steps") { limit };
        events.SetAction((parse, cancellation) => CliRunner.RunAsync(parse, stderr, async client =>
        {
            using var document = await client.PlacementEventsAsync(parse.GetValue(limit), cancellation);
            if (parse.GetValue(CliOptions.Output) == OutputFormat.Json)
            {
                await stdout.WriteLineAsync(document.RootElement.GetRawText());
                return ExitCodes.Success;
            }
            foreach (var entry in document.RootElement.GetProperty("events").EnumerateArray())
            {
                await stdout.WriteLineAsync($"{entry.GetProperty("at").GetDateTimeOffset():HH:mm:ss.fff}  {entry.GetProperty("kind").GetString()}  {entry.GetProperty("text").GetString()}");
            }
            var coordinator = document.RootElement.GetProperty("coordinator");
            await stdout.WriteLineAsync(coordinator.ValueKind == JsonValueKind.String ? $"coordinator on {coordinator.GetString()}" : "no coordinator answered");
            return ExitCodes.Success;
        }));

        var shards = new Command("shards", "Inspect the placement of shards on nodes");
        shards.Subcommands.Add(list);
        shards.Subcommands.Add(show);
        shards.Subcommands.Add(events);
        return shards;
    }

    /// <summary>One row per shard, then the configuration, the coordinator and per-node replica and leader counts.</summary>
    internal static string FormatTable(JsonElement root)
    {
        var rows = new List<string[]> { Header };
        var replicas = new SortedDictionary<string, int>(StringComparer.Ordinal);
        var leaders = new SortedDictionary<string, int>(StringComparer.Ordinal);
        foreach (var shard in root.GetProperty("shards").EnumerateArray())
        {
            var (voters, learners) = Roles(shard);
            var leader = LeaderOf(shard);
            rows.Add([shard.GetProperty("id").GetUInt32().ToString(CultureInfo.InvariantCulture), shard.GetProperty("epoch").GetInt64().ToString(CultureInfo.InvariantCulture), leader ?? "-", string.Join(',', voters), string.Join(',', learners)]);
            foreach (var node in voters.Concat(learners))
            {
                replicas[node] = replicas.GetValueOrDefault(node) + 1;
            }
            if (leader is not null)
            {
                leaders[leader] = leaders.GetValueOrDefault(leader) + 1;
            }
        }
        var text = new StringBuilder(TextTable.Format(rows));
        var coordinator = root.TryGetProperty("coordinator", out var element) && element.ValueKind == JsonValueKind.String ? element.GetString() : null;
        text.Append(CultureInfo.InvariantCulture, $"{rows.Count - 1} shards, configuration {root.GetProperty("configuration").GetInt64()}");
        text.AppendLine(coordinator is null ? "" : $", coordinator on {coordinator}");
        foreach (var (node, count) in replicas)
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"  {node}: {count} replicas, leads {leaders.GetValueOrDefault(node)}");
        }
        return text.ToString();
    }

    /// <summary>One shard: epoch, leader, then each replica with its role.</summary>
    internal static string FormatShard(JsonElement shard)
    {
        var leader = LeaderOf(shard);
        var rows = new List<string[]> { ShardHeader };
        foreach (var replica in shard.GetProperty("replicas").EnumerateArray())
        {
            var node = replica.GetProperty("node").GetString() ?? "";
            rows.Add([node, replica.GetProperty("role").GetString() ?? "", node == leader ? "*" : ""]);
        }
        return string.Create(CultureInfo.InvariantCulture, $"shard {shard.GetProperty("id").GetUInt32()}, epoch {shard.GetProperty("epoch").GetInt64()}, leader {leader ?? "none"}{Environment.NewLine}") + TextTable.Format(rows);
    }

    private static string? LeaderOf(JsonElement shard) =>
        shard.TryGetProperty("leader", out var leader) && leader.ValueKind == JsonValueKind.String ? leader.GetString() : null;

    private static (List<string> Voters, List<string> Learners) Roles(JsonElement shard)
    {
        var voters = new List<string>();
        var learners = new List<string>();
        foreach (var replica in shard.GetProperty("replicas").EnumerateArray())
        {
            (replica.GetProperty("role").GetString() == "learner" ? learners : voters).Add(replica.GetProperty("node").GetString() ?? "");
        }
        return (voters, learners);
    }
}
