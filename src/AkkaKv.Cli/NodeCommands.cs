using System.CommandLine;
using System.Text.Json;

namespace AkkaKv.Cli;

/// <summary><c>akkakv node status</c>.</summary>
internal static class NodeCommands
{
    public static Command Create(TextWriter stdout, TextWriter stderr)
    {
        var status = new Command("status", "Show the node's name, shards and totals");
        status.SetAction((parse, cancellation) => CliRunner.RunAsync(parse, stderr, async client =>
        {
            using var document = await client.NodeStatusAsync(cancellation);
            if (parse.GetValue(CliOptions.Output) == OutputFormat.Json)
            {
                await stdout.WriteLineAsync(document.RootElement.GetRawText());
                return ExitCodes.Success;
            }
            foreach (var property in document.RootElement.EnumerateObject())
            {
                await stdout.WriteLineAsync($"{property.Name,-16}{(property.Value.ValueKind == JsonValueKind.String ? property.Value.GetString() : property.Value.GetRawText())}");
            }
            return ExitCodes.Success;
        }));
        var node = new Command("node", "Inspect a node");
        node.Subcommands.Add(status);
        return node;
    }
}
