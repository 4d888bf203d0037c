using System.CommandLine;
using AkkaKv.Cli.Bench;

namespace AkkaKv.Cli;

/// <summary>The <c>akkakv</c> command tree; writers and stdin are passed in so tests can run it in process.</summary>
internal static class AkkaKvCli
{
    public static RootCommand Build(TextWriter stdout, TextWriter stderr, Stream stdin)
    {
        var root = new RootCommand("akkakv: manage and use an AkkaKv node over its HTTP API")
        {
            CliOptions.Endpoint,
            CliOptions.Output,
        };
        root.Subcommands.Add(KvCommands.Create(stdout, stderr, stdin));
        root.Subcommands.Add(NodeCommands.Create(stdout, stderr));
        root.Subcommands.Add(ClusterCommands.Create(stdout, stderr));
        root.Subcommands.Add(ShardsCommands.Create(stdout, stderr));
        root.Subcommands.Add(BenchCommand.Create(stdout, stderr));
        return root;
    }

    /// <summary>Parses and runs <paramref name="args"/>; usage errors print to stderr and return 2.</summary>
    public static async Task<int> RunAsync(string[] args, TextWriter stdout, TextWriter stderr, Stream stdin, CancellationToken cancellationToken = default)
    {
        var parse = Build(stdout, stderr, stdin).Parse(args);
        if (parse.Errors.Count > 0)
        {
            foreach (var error in parse.Errors)
            {
                await stderr.WriteLineAsync($"akkakv: {error.Message}");
            }
            await stderr.WriteLineAsync("akkakv: see 'akkakv --help'");
            return ExitCodes.Usage;
        }
        return await parse.InvokeAsync(new InvocationConfiguration { Output = stdout, Error = stderr }, cancellationToken);
    }
}
