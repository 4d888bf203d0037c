using System.Globalization;
using System.Text;
using Akka.Configuration;
using AkkaKv.Hosting.Configuration;
using AkkaKv.Hosting.Options;
using Microsoft.Extensions.Configuration;

namespace AkkaKv.Hosting.AkkaConfig;

/// <summary>
/// The <c>akka { … }</c> settings an operator writes in the node's configuration file (or with <c>--set akka.x=y</c>),
/// for the Akka.NET settings AkkaKv does not expose under <c>akkakv.*</c>.
/// They have been parsed and validated by AkkaKv's own HOCON parser (Akka's accepts malformed text), and are handed to
/// Akka re-rendered, every value quoted, so no value can inject configuration. A setting AkkaKv generates from one of
/// its own (remote endpoint, cluster seeds and roles, split-brain resolver, …) is refused, naming where it was set:
/// two places for one setting would let them disagree.
/// </summary>
public static class OperatorAkkaSettings
{
    private const string Section = "akka";

    /// <summary>The operator's <c>akka.*</c> settings as Akka configuration (empty when there are none).</summary>
    /// <exception cref="ConfigurationErrorsException">A setting AkkaKv generates itself is set (every such one is listed).</exception>
    public static Config Read(IConfiguration configuration, Config generated)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        ArgumentNullException.ThrowIfNull(generated);
        var text = new StringBuilder();
        var errors = new List<string>();
        foreach (var (path, value) in Settings(configuration.GetSection(Section)))
        {
            var hoconPath = string.Join('.', path.Split(ConfigurationPath.KeyDelimiter).Select(AkkaConfigGenerator.Quote));
            if (Generates(generated, hoconPath))
            {
                var origin = configuration.DescribeOrigin(path) is { } where ? $" ({where})" : "";
                errors.Add($"{path.Replace(ConfigurationPath.KeyDelimiter, ".", StringComparison.Ordinal)}{origin}: AkkaKv sets this from its own settings; "
                    + "set the akkakv.* setting instead (docs/configuration.md lists which)");
                continue;
            }
            text.Append(hoconPath).Append(" = ").AppendLine(value);
        }
        if (errors.Count > 0)
        {
            throw new ConfigurationErrorsException(errors);
        }
        return text.Length == 0 ? Config.Empty : ConfigurationFactory.ParseString(text.ToString());
    }

    private static bool Generates(Config generated, string hoconPath)
    {
        try
        {
            return generated.HasPath(hoconPath);
        }
        catch (Exception exception) when (exception is ConfigurationException or ArgumentException or FormatException)
        {
            return false; // a path Akka cannot even look up is not one AkkaKv writes
        }
    }

    /// <summary>Each setting below <paramref name="section"/> with its value rendered as HOCON (a list for 0..n-1 children).</summary>
    private static IEnumerable<(string Path, string Value)> Settings(IConfigurationSection section)
    {
        foreach (var child in section.GetChildren())
        {
            var children = child.GetChildren().ToList();
            if (children.Count == 0)
            {
                if (child.Value is not null)
                {
                    yield return (child.Path, AkkaConfigGenerator.Quote(child.Value));
                }
            }
            else if (IsList(children))
            {
                var items = children.OrderBy(item => int.Parse(item.Key, CultureInfo.InvariantCulture)).Select(item => AkkaConfigGenerator.Quote(item.Value ?? ""));
                yield return (child.Path, $"[{string.Join(", ", items)}]");
            }
            else
            {
                foreach (var setting in Settings(child))
                {
                    yield return setting;
                }
            }
        }
    }

    private static bool IsList(List<IConfigurationSection> children) =>
        children.All(item => item.Value is not null && !item.GetChildren().Any() && int.TryParse(item.Key, NumberStyles.None, CultureInfo.InvariantCulture, out _))
        && children.Select(item => int.Parse(item.Key, CultureInfo.InvariantCulture)).Order().SequenceEqual(Enumerable.Range(0, children.Count));
}
