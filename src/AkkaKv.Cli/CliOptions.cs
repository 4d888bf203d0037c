using System.CommandLine;

namespace AkkaKv.Cli;

/// <summary>Options shared by every command.</summary>
internal static class CliOptions
{
    public static readonly Option<Uri> Endpoint = new("--endpoint", "-e")
    {
        Description = "The node's HTTP address (default: $AKKAKV_ENDPOINT or http://127.0.0.1:8080)",
        DefaultValueFactory = _ => new Uri(Environment.GetEnvironmentVariable("AKKAKV_ENDPOINT") ?? "http://127.0.0.1:8080"),
        CustomParser = result =>
        {
            var text = result.Tokens.Count == 1 ? result.Tokens[0].Value : "";
            if (Uri.TryCreate(text, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https")
            {
                return uri;
            }
            result.AddError($"--endpoint '{text}' is not an http:// or https:// address, such as http://127.0.0.1:8081");
            return null;
        },
        Recursive = true,
    };

    public static readonly Option<OutputFormat> Output = new("--output", "-o")
    {
        Description = "table (for people) or json (for scripts)",
        DefaultValueFactory = _ => OutputFormat.Table,
        Recursive = true,
    };
}

/// <summary>How results are printed.</summary>
internal enum OutputFormat
{
    Table,
    Json,
}

/// <summary>Process exit codes of <c>akkakv</c>.</summary>
internal static class ExitCodes
{
    public const int Success = 0;
    public const int NotFoundOrConditionFailed = 1;
    public const int Usage = 2;
    public const int Unavailable = 3;
}
