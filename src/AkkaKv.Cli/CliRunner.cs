using System.CommandLine;
using AkkaKv.Client;

namespace AkkaKv.Cli;

/// <summary>Runs a command's body with a client, turning failures into one line on stderr and an exit code.</summary>
internal static class CliRunner
{
    public static async Task<int> RunAsync(ParseResult parse, TextWriter stderr, Func<AkkaKvClient, Task<int>> body)
    {
        using var client = new AkkaKvClient(parse.GetValue(CliOptions.Endpoint)!, new AkkaKvClientOptions { MaxRetries = 2 });
        try
        {
            return await body(client);
        }
        catch (AkkaKvException error) when (error.StatusCode is { } status && (int)status is >= 400 and < 500)
        {
            await stderr.WriteLineAsync($"akkakv: {error.Message}");
            return ExitCodes.Usage;
        }
        catch (AkkaKvException error)
        {
            await stderr.WriteLineAsync($"akkakv: {error.Message}");
            return ExitCodes.Unavailable;
        }
    }
}
