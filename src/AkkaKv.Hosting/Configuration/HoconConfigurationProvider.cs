using System.Globalization;
using AkkaKv.Hosting.Hocon;
using Microsoft.Extensions.Configuration;

namespace AkkaKv.Hosting.Configuration;

/// <summary>
/// Exposes a resolved HOCON tree as configuration keys (<c>akkakv.http.port</c> becomes <c>akkakv:http:port</c>,
/// array elements <c>…:0</c>, <c>…:1</c>) and remembers each key's file:line:column.
/// </summary>
public sealed class HoconConfigurationProvider(HoconConfigurationSource source) : ConfigurationProvider, IConfigurationOrigin
{
    private Dictionary<string, HoconPosition> _positions = new(StringComparer.OrdinalIgnoreCase);

    public override void Load()
    {
        var sources = new List<(string Text, string File)>();
        if (source.IncludeReference)
        {
            sources.Add((ReferenceConfig.Text, "reference.conf"));
        }
        foreach (var file in source.Files)
        {
            if (!File.Exists(file))
            {
                throw new FileNotFoundException($"Configuration file '{file}' does not exist.", file);
            }
            sources.Add((File.ReadAllText(file), file));
        }
        sources.AddRange(source.Texts);
        var document = HoconDocument.Load(sources, source.Environment);
        var data = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
        var positions = new Dictionary<string, HoconPosition>(StringComparer.OrdinalIgnoreCase);
        Flatten(document.Root, null, data, positions);
        Data = data;
        _positions = positions;
    }

    /// <summary>Where the value of <paramref name="key"/> (colon-separated) was written.</summary>
    public bool TryGetPosition(string key, out HoconPosition position) => _positions.TryGetValue(key, out position);

    public string? DescribeOrigin(string key) => TryGetPosition(key, out var position) ? position.ToString() : null;

    private static void Flatten(HoconValue value, string? prefix, Dictionary<string, string?> data, Dictionary<string, HoconPosition> positions)
    {
        switch (value)
        {
            case HoconObject obj:
                foreach (var key in obj.Keys)
                {
                    obj.TryGetField(key, out var field);
                    Flatten(field, prefix is null ? key : $"{prefix}{ConfigurationPath.KeyDelimiter}{key}", data, positions);
                }
                break;
            case HoconArray array:
                for (var i = 0; i < array.Items.Count; i++)
                {
                    Flatten(array.Items[i], $"{prefix}{ConfigurationPath.KeyDelimiter}{i.ToString(CultureInfo.InvariantCulture)}", data, positions);
                }
                break;
            case HoconScalar scalar when prefix is not null:
                data[prefix] = scalar.Text;
                positions[prefix] = scalar.Position;
                break;
        }
    }
}
