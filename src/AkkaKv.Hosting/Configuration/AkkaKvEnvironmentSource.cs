using Microsoft.Extensions.Configuration;

namespace AkkaKv.Hosting.Configuration;

/// <summary>
/// Environment overrides: <c>AKKAKV__HTTP__PORT=8081</c> sets <c>akkakv.http.port</c>; within a segment a single
/// underscore stands for a dash (<c>AKKAKV__ACTOR__ASK_TIMEOUT</c> is <c>akkakv.actor.ask-timeout</c>).
/// </summary>
public sealed class AkkaKvEnvironmentSource : IConfigurationSource
{
    /// <summary>The prefix that marks an AkkaKv override.</summary>
    public const string Prefix = "AKKAKV__";

    /// <summary>The variables to read; defaults to the process environment.</summary>
    public Func<IEnumerable<KeyValuePair<string, string?>>> Variables { get; init; } = ReadProcessEnvironment;

    public IConfigurationProvider Build(IConfigurationBuilder builder) => new Provider(this);

    /// <summary>The configuration key for an environment variable name, or null when it is not an override.</summary>
    public static string? ToKey(string variable)
    {
        ArgumentNullException.ThrowIfNull(variable);
        if (!variable.StartsWith(Prefix, StringComparison.OrdinalIgnoreCase) || variable.Length == Prefix.Length)
        {
            return null;
        }
        var segments = variable[Prefix.Length..].Split("__");
        if (Array.Exists(segments, segment => segment.Length == 0))
        {
            return null;
        }
        return "akkakv" + ConfigurationPath.KeyDelimiter
            + string.Join(ConfigurationPath.KeyDelimiter, segments.Select(segment => segment.ToLowerInvariant().Replace('_', '-')));
    }

    private static IEnumerable<KeyValuePair<string, string?>> ReadProcessEnvironment()
    {
        foreach (System.Collections.DictionaryEntry entry in Environment.GetEnvironmentVariables())
        {
            yield return new KeyValuePair<string, string?>((string)entry.Key, entry.Value as string);
        }
    }

    private sealed class Provider(AkkaKvEnvironmentSource source) : ConfigurationProvider, IConfigurationOrigin
    {
        private readonly Dictionary<string, string> _variables = new(StringComparer.OrdinalIgnoreCase);

        public override void Load()
        {
            var data = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
            _variables.Clear();
            foreach (var (name, value) in source.Variables())
            {
                if (ToKey(name) is { } key)
                {
                    data[key] = value;
                    _variables[key] = name;
                }
            }
            Data = data;
        }

        public string? DescribeOrigin(string key) =>
            _variables.TryGetValue(key, out var name) ? $"environment variable {name}" : null;
    }
}
