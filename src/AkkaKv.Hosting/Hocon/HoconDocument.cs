using System.Globalization;

namespace AkkaKv.Hosting.Hocon;

/// <summary>
/// A parsed and resolved HOCON document with typed getters. Layering follows Akka: <see cref="Load"/> merges
/// documents in order (later ones win) and resolves once, so an application file can refer to reference settings.
/// </summary>
public sealed class HoconDocument
{
    private HoconDocument(HoconObject root) => Root = root;

    /// <summary>The resolved tree.</summary>
    public HoconObject Root { get; }

    /// <summary>Parses and resolves a single text.</summary>
    public static HoconDocument Parse(string text, string file = "<string>", Func<string, string?>? environment = null, IHoconIncludeResolver? includes = null) =>
        Load([(text, file)], environment, includes);

    /// <summary>Parses each source, merges them in order (later wins) and resolves substitutions over the result.</summary>
    public static HoconDocument Load(IEnumerable<(string Text, string File)> sources, Func<string, string?>? environment = null, IHoconIncludeResolver? includes = null)
    {
        ArgumentNullException.ThrowIfNull(sources);
        HoconObject? merged = null;
        foreach (var (text, file) in sources)
        {
            var parsed = HoconParser.Parse(text, file, includes ?? FileIncludeResolver.Instance);
            merged = merged is null ? parsed : HoconObject.Merge(merged, parsed);
        }
        merged ??= new HoconObject(new HoconPosition("<empty>", 1, 1));
        HoconResolver.Resolve(merged, environment ?? Environment.GetEnvironmentVariable);
        return new HoconDocument(merged);
    }

    /// <summary>The value at a dotted <paramref name="path"/>, or null.</summary>
    public HoconValue? GetValue(string path) => Root.GetPath(SplitPath(path));

    /// <summary>The string at <paramref name="path"/>; throws naming the path when absent or not a string.</summary>
    public string GetString(string path) => Scalar(path).Text ?? throw Missing(path, "a string");

    /// <summary>The integer at <paramref name="path"/>.</summary>
    public long GetInt64(string path)
    {
        var scalar = Scalar(path);
        return long.TryParse(scalar.Text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value)
            ? value
            : throw new HoconException(scalar.Position, $"{path}: expected an integer but found '{scalar.Text}'");
    }

    /// <summary>The boolean at <paramref name="path"/> (true/false, yes/no, on/off).</summary>
    public bool GetBoolean(string path)
    {
        var scalar = Scalar(path);
        return scalar.Text?.ToUpperInvariant() switch
        {
            "TRUE" or "YES" or "ON" => true,
            "FALSE" or "NO" or "OFF" => false,
            _ => throw new HoconException(scalar.Position, $"{path}: expected a boolean but found '{scalar.Text}'"),
        };
    }

    /// <summary>The duration at <paramref name="path"/> (<c>250ms</c>, <c>5s</c>, <c>2 minutes</c>; a bare number is milliseconds).</summary>
    public TimeSpan GetDuration(string path)
    {
        var scalar = Scalar(path);
        return HoconDuration.TryParse(scalar.Text, out var value)
            ? value
            : throw new HoconException(scalar.Position, $"{path}: expected a duration such as 250ms or 5s but found '{scalar.Text}'");
    }

    /// <summary>The size at <paramref name="path"/> (<c>64MiB</c>, <c>1 GB</c>; a bare number is bytes).</summary>
    public ByteSize GetByteSize(string path)
    {
        var scalar = Scalar(path);
        return ByteSize.TryParse(scalar.Text, out var value)
            ? value
            : throw new HoconException(scalar.Position, $"{path}: expected a size such as 64MiB but found '{scalar.Text}'");
    }

    /// <summary>The strings of the array at <paramref name="path"/>.</summary>
    public IReadOnlyList<string> GetStringList(string path) => GetValue(path) switch
    {
        HoconArray array => array.Items.Select(item => item is HoconScalar { Text: { } text } ? text
            : throw new HoconException(item.Position, $"{path}: expected an array of strings")).ToList(),
        null => throw Missing(path, "an array"),
        var other => throw new HoconException(other.Position, $"{path}: expected an array but found an {other.KindName}"),
    };

    /// <summary>Splits a dotted path; quoted segments keep their dots (<c>a."b.c"</c>).</summary>
    public static IReadOnlyList<string> SplitPath(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        var segments = new List<string>();
        var current = new System.Text.StringBuilder();
        var quoted = false;
        foreach (var ch in path)
        {
            if (ch == '"')
            {
                quoted = !quoted;
            }
            else if (ch == '.' && !quoted)
            {
                segments.Add(current.ToString());
                current.Clear();
            }
            else
            {
                current.Append(ch);
            }
        }
        segments.Add(current.ToString());
        return segments;
    }

    private HoconScalar Scalar(string path) => GetValue(path) switch
    {
        HoconScalar scalar => scalar,
        null => throw Missing(path, "a value"),
        var other => throw new HoconException(other.Position, $"{path}: expected a single value but found an {other.KindName}"),
    };

    private static HoconException Missing(string path, string what) => new($"No setting at '{path}' ({what} was expected).");
}
