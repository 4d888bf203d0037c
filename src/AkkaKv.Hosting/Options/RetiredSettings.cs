using AkkaKv.Hosting.Configuration;
using Microsoft.Extensions.Configuration;

namespace AkkaKv.Hosting.Options;

/// <summary>
/// Settings that once existed and no longer do. Binding ignores unknown keys, so without this check an operator's
/// old setting would be dropped silently; instead the start fails naming the key, where it was set and what replaced it.
/// </summary>
public static class RetiredSettings
{
    /// <summary>Each retired key (configuration path) with what an operator should do instead.</summary>
    public static IReadOnlyDictionary<string, string> All { get; } = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase)
    {
        ["akkakv:actor:default-mailbox-capacity"] =
            "actors run on Akka.NET, whose mailboxes are unbounded by default; a bounded one is chosen per actor in akka.actor.deployment",
        ["akkakv:actor:mailbox-overflow"] = "actors run on Akka.NET, whose bounded mailboxes have no drop policy",
        ["akkakv:actor:seed"] = "actors run on Akka.NET, whose scheduling has no seed; the simulator seeds its own runs",
        ["akkakv:remote:send-queue-capacity"] =
            "node-to-node traffic runs on Akka.Remote, which buffers per peer association; Raft messages wait in the per-peer Raft outbox (docs/remote.md)",
        ["akkakv:remote:min-reconnect-delay"] = "Akka.Remote waits akkakv.remote.retry-gate-closed-for between attempts to reach a peer",
        ["akkakv:remote:max-reconnect-delay"] = "Akka.Remote waits akkakv.remote.retry-gate-closed-for between attempts to reach a peer",
        ["akkakv:cluster:rejoin-when-downed"] =
            "a downed node now stops with exit code 5 and its supervisor (systemd, build.sh run, Kubernetes) restarts it as a new incarnation",
    };

    /// <summary>Throws <see cref="ConfigurationErrorsException"/> listing every retired setting that is set.</summary>
    public static void Refuse(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var errors = new List<string>();
        foreach (var (key, instead) in All)
        {
            if (configuration[key] is { } value)
            {
                var origin = configuration.DescribeOrigin(key);
                var where = origin is null ? "" : $" ({origin})";
                errors.Add($"{key.Replace(ConfigurationPath.KeyDelimiter, ".", StringComparison.Ordinal)} = '{value}'{where}: is no longer a setting: {instead}");
            }
        }
        if (errors.Count > 0)
        {
            throw new ConfigurationErrorsException(errors);
        }
    }
}
