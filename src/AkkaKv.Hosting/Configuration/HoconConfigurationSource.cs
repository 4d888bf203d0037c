using Microsoft.Extensions.Configuration;

namespace AkkaKv.Hosting.Configuration;

/// <summary>
/// HOCON documents as one configuration layer: the embedded <c>reference.conf</c> first, then each file and text in
/// order (later wins), merged and resolved together so files can refer to reference settings.
/// </summary>
public sealed class HoconConfigurationSource : IConfigurationSource
{
    /// <summary>Include AkkaKv's embedded reference.conf as the base layer.</summary>
    public bool IncludeReference { get; init; } = true;

    /// <summary>HOCON files to load, in order; each must exist.</summary>
    public IReadOnlyList<string> Files { get; init; } = [];

    /// <summary>HOCON texts with a display name, after the files.</summary>
    public IReadOnlyList<(string Text, string Name)> Texts { get; init; } = [];

    /// <summary>Environment lookup for <c>${ENV}</c> substitutions.</summary>
    public Func<string, string?> Environment { get; init; } = System.Environment.GetEnvironmentVariable;

    public IConfigurationProvider Build(IConfigurationBuilder builder) => new HoconConfigurationProvider(this);
}
