using Microsoft.Extensions.Configuration;

namespace AkkaKv.Hosting.Configuration;

/// <summary>
/// <c>--set path=value</c> overrides, the highest configuration layer: <c>--set akkakv.http.port=8081</c>.
/// </summary>
public sealed class CommandLineOverrideSource : IConfigurationSource
{
    /// <summary>The assignments as given, each <c>dotted.path=value</c>.</summary>
    public IReadOnlyList<string> Assignments { get; init; } = [];

    public IConfigurationProvider Build(IConfigurationBuilder builder) => new Provider(Parse(Assignments));

    /// <summary>Turns assignments into configuration keys; throws <see cref="FormatException"/> naming a malformed one.</summary>
    public static IReadOnlyDictionary<string, (string Value, int Ordinal)> Parse(IReadOnlyList<string> assignments)
    {
        ArgumentNullException.ThrowIfNull(assignments);
        var parsed = new Dictionary<string, (string, int)>(StringComparer.OrdinalIgnoreCase);
        for (var i = 0; i < assignments.Count; i++)
        {
            var assignment = assignments[i];
            var equals = assignment.IndexOf('=', StringComparison.Ordinal);
            var path = equals > 0 ? assignment[..equals].Trim() : "";
            var segments = Hocon.HoconDocument.SplitPath(path);
            if (equals <= 0 || segments.Any(segment => segment.Length == 0 || segment.Any(char.IsWhiteSpace)))
            {
                throw new FormatException($"--set '{assignment}': expected dotted.path=value, such as --set akkakv.http.port=8081.");
            }
            parsed[string.Join(ConfigurationPath.KeyDelimiter, segments)] = (assignment[(equals + 1)..], i + 1);
        }
        return parsed;
    }

    private sealed class Provider(IReadOnlyDictionary<string, (string Value, int Ordinal)> overrides) : ConfigurationProvider, IConfigurationOrigin
    {
        public override void Load() =>
            Data = overrides.ToDictionary(entry => entry.Key, entry => (string?)entry.Value.Value, StringComparer.OrdinalIgnoreCase);

        public string? DescribeOrigin(string key) =>
            overrides.TryGetValue(key, out var entry) ? $"--set #{entry.Ordinal}" : null;
    }
}
