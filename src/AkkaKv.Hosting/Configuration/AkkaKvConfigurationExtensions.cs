using Microsoft.Extensions.Configuration;

namespace AkkaKv.Hosting.Configuration;

/// <summary>Adds AkkaKv's configuration layers: reference.conf, HOCON files, AKKAKV__ environment, --set.</summary>
public static class AkkaKvConfigurationExtensions
{
    /// <summary>
    /// Adds, lowest first: the embedded reference.conf merged with <paramref name="configFiles"/> (HOCON),
    /// <c>AKKAKV__*</c> environment variables, then <paramref name="overrides"/> (<c>path=value</c>).
    /// </summary>
    public static IConfigurationBuilder AddAkkaKvConfiguration(
        this IConfigurationBuilder builder,
        IReadOnlyList<string>? configFiles = null,
        IReadOnlyList<string>? overrides = null,
        Func<IEnumerable<KeyValuePair<string, string?>>>? environment = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Add(new HoconConfigurationSource { Files = configFiles ?? [] });
        builder.Add(environment is null ? new AkkaKvEnvironmentSource() : new AkkaKvEnvironmentSource { Variables = environment });
        builder.Add(new CommandLineOverrideSource { Assignments = overrides ?? [] });
        return builder;
    }

    /// <summary>Where the effective value of <paramref name="key"/> came from (the last provider that has it).</summary>
    public static string? DescribeOrigin(this IConfiguration configuration, string key)
    {
        if (configuration is not IConfigurationRoot root)
        {
            return null;
        }
        foreach (var provider in root.Providers.Reverse())
        {
            if (provider.TryGet(key, out _))
            {
                return (provider as IConfigurationOrigin)?.DescribeOrigin(key) ?? provider.GetType().Name;
            }
        }
        return null;
    }
}
