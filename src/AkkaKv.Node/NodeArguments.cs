namespace AkkaKv.Node;

/// <summary>The command line of <c>akkakv-node</c>: <c>[--config FILE] [--set path=value]... [--help] [--version]</c>.</summary>
internal sealed record NodeArguments(string? ConfigFile, IReadOnlyList<string> Overrides, bool ShowHelp, bool ShowVersion)
{
    public const string Usage = """
        Usage: akkakv-node [--config FILE] [--set path=value]...

        Runs one AkkaKv node. With no arguments: a single node with its data in ./data and HTTP on 127.0.0.1:8080.

          --config FILE        HOCON configuration file (see hocon/reference.conf for every setting)
          --set path=value     override one setting, e.g. --set akkakv.http.port=8081 (repeatable; wins over all)
          --help               show this help
          --version            show the version

        Environment variables AKKAKV__SECTION__KEY override the file (AKKAKV__HTTP__PORT=8081).
        """;

    /// <summary>Parses <paramref name="args"/>; throws <see cref="ArgumentException"/> with a one-line reason.</summary>
    public static NodeArguments Parse(IReadOnlyList<string> args)
    {
        string? config = null;
        var overrides = new List<string>();
        var help = false;
        var version = false;
        for (var i = 0; i < args.Count; i++)
        {
            var arg = args[i];
            switch (arg)
            {
                case "--help" or "-h":
                    help = true;
                    break;
                case "--version":
                    version = true;
                    break;
                case "--config" or "-c":
                    if (config is not null)
                    {
                        throw new ArgumentException("--config given twice; use include in the file to combine files.");
                    }
                    config = ValueOf(args, ref i, arg);
                    break;
                case "--set":
                    overrides.Add(ValueOf(args, ref i, arg));
                    break;
                default:
                    if (arg.StartsWith("--config=", StringComparison.Ordinal))
                    {
                        config = arg["--config=".Length..];
                    }
                    else if (arg.StartsWith("--set=", StringComparison.Ordinal))
                    {
                        overrides.Add(arg["--set=".Length..]);
                    }
                    else
                    {
                        throw new ArgumentException($"unknown argument '{arg}' (see --help)");
                    }
                    break;
            }
        }
        return new NodeArguments(config, overrides, help, version);
    }

    private static string ValueOf(IReadOnlyList<string> args, ref int index, string option)
    {
        if (index + 1 >= args.Count || args[index + 1].StartsWith("--", StringComparison.Ordinal))
        {
            throw new ArgumentException($"{option} needs a value (see --help)");
        }
        return args[++index];
    }
}
