using System.CommandLine;
using System.Text.Json;

namespace AkkaKv.Cli;

/// <summary><c>akkakv cluster show|leave|down</c>.</summary>
internal static class ClusterCommands
{
    private static readonly string[] Header = ["NODE", "ADDRESS", "STATUS", "REACHABLE", "ROLES", "LEADER"];

    public static Command Create(TextWriter stdout, TextWriter stderr)
    {
        var show = new Command("show", "Show the cluster's members as the node sees them, and its leader");
        show.SetAction((parse, cancellation) => CliRunner.RunAsync(parse, stderr, async client =>
        {
            using var document = await client.ClusterStatusAsync(cancellation);
            if (parse.GetValue(CliOptions.Output) == OutputFormat.Json)
            {
                await stdout.WriteLineAsync(document.RootElement.GetRawText());
                return ExitCodes.Success;
            }
            await stdout.WriteAsync(FormatTable(document.RootElement));
            return ExitCodes.Success;
        }));

        var node = new Argument<string>("node") { Description = "The member's name, as `akkakv cluster show` prints it" };
        var noWait = new Option<bool>("--no-wait") { Description = "Return once the leave is recorded instead of following the hand-off" };
        var noDrain = new Option<bool>("--no-drain") { Description = "Leave at once without moving the member's replicas first (they are replaced later, as for a crashed node)" };
        var timeout = new Option<string>("--timeout") { Description = "How long to follow the hand-off (e.g. 90s, 30m)", DefaultValueFactory = _ => "30m" };
        var leave = new Command("leave", "Ask a member to leave gracefully: its replicas and leaderships move to other nodes, then it leaves and stops") { node, noWait, noDrain, timeout };
        leave.SetAction((parse, cancellation) => CliRunner.RunAsync(parse, stderr, async client =>
        {
            var name = parse.GetValue(node)!;
            if (!Bench.BenchCommand.TryParseDuration(parse.GetValue(timeout)!, out var follow))
            {
                await stderr.WriteLineAsync($"akkakv: --timeout '{parse.GetValue(timeout)}' is not a duration such as 90s or 30m");
                return ExitCodes.Usage;
            }
            var drain = !parse.GetValue(noDrain);
            await client.LeaveMemberAsync(name, drain, cancellation);
            if (parse.GetValue(noWait) || !drain)
            {
                await stdout.WriteLineAsync(drain ? $"{name} is draining: its replicas move to other nodes, then it leaves" : $"{name} is leaving");
                return ExitCodes.Success;
            }
            return await LeaveProgress.FollowAsync(client, name, follow, stdout, stderr, cancellation);
        }));
        var down = new Command("down", "Mark a member Down: the operator's decision that it is gone for good") { node };
        down.SetAction((parse, cancellation) => CliRunner.RunAsync(parse, stderr, async client =>
        {
            var name = parse.GetValue(node)!;
            await client.DownMemberAsync(name, cancellation);
            await stdout.WriteLineAsync($"{name} is down");
            return ExitCodes.Success;
        }));

        var cluster = new Command("cluster", "Inspect and manage cluster membership");
        cluster.Subcommands.Add(show);
        cluster.Subcommands.Add(leave);
        cluster.Subcommands.Add(down);
        return cluster;
    }

    /// <summary>The members as a table, the leader marked, then a summary line.</summary>
    internal static string FormatTable(JsonElement root)
    {
        var leader = root.TryGetProperty("leader", out var leaderElement) && leaderElement.ValueKind == JsonValueKind.String ? leaderElement.GetString() : null;
        var rows = new List<string[]> { Header };
        foreach (var member in root.GetProperty("members").EnumerateArray())
        {
            var name = member.GetProperty("node").GetString() ?? "";
            rows.Add(
            [
                name,
                member.GetProperty("address").GetString() ?? "",
                member.GetProperty("status").GetString() ?? "",
                member.GetProperty("reachable").GetBoolean() ? "yes" : "NO",
                string.Join(',', member.GetProperty("roles").EnumerateArray().Select(role => role.GetString())),
                name == leader ? "*" : "",
            ]);
        }
        var text = new System.Text.StringBuilder(TextTable.Format(rows));
        var self = root.TryGetProperty("self", out var selfElement) ? selfElement.GetString() : "?";
        var converged = root.TryGetProperty("converged", out var convergedElement) && convergedElement.GetBoolean();
        text.AppendLine(System.FormattableString.Invariant($"{rows.Count - 1} members, leader {leader ?? "none"}, seen from {self}{(converged ? "" : " (gossip not converged)")}"));
        return text.ToString();
    }
}
