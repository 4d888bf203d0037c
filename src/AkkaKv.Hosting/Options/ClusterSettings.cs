using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Configuration;

namespace AkkaKv.Hosting.Options;

/// <summary>Cluster membership (<c>akkakv.cluster</c>); failure-detector and split-brain settings have their own sections.</summary>
public sealed record ClusterSettings : IValidatableObject
{
    public const string Section = "akkakv:cluster";

    /// <summary>The cluster's name; nodes of another cluster are refused at the handshake.</summary>
    [ConfigurationKeyName("name"), Required, RegularExpression("^[A-Za-z0-9][A-Za-z0-9_.-]{0,62}$", ErrorMessage = "must be 1-63 letters, digits, '.', '-' or '_', starting with a letter or digit")]
    public string Name { get; init; } = "akkakv";

    /// <summary>Addresses ("host:port" of akkakv.remote) to join through; empty: this node forms a cluster of its own.</summary>
    [ConfigurationKeyName("seed-nodes")]
    public List<string> SeedNodes { get; init; } = [];

    /// <summary>This node's roles.</summary>
    [ConfigurationKeyName("roles")]
    public List<string> Roles { get; init; } = [];

    /// <summary>How long the first seed waits for the other seeds before forming a cluster alone.</summary>
    [ConfigurationKeyName("seed-node-timeout"), Range(typeof(TimeSpan), "00:00:00.010", "00:10:00")]
    public TimeSpan SeedNodeTimeout { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>How often a node gossips its membership table to another member.</summary>
    [ConfigurationKeyName("gossip-interval"), Range(typeof(TimeSpan), "00:00:00.010", "00:01:00")]
    public TimeSpan GossipInterval { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>How many members watch each member with heartbeats.</summary>
    [ConfigurationKeyName("monitored-by-nr-of-members"), Range(1, 100)]
    public int MonitoredByNrOfMembers { get; init; } = 5;

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        foreach (var seed in SeedNodes)
        {
            var colon = seed.LastIndexOf(':');
            if (colon <= 0 || !int.TryParse(seed.AsSpan(colon + 1), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var port) || port is < 1 or > 65_535)
            {
                yield return new ValidationResult($"seed-nodes entry '{seed}' is not a host:port address (such as 10.0.0.1:2551)");
            }
        }
        foreach (var role in Roles.Where(role => role.Length is 0 or > 64))
        {
            yield return new ValidationResult($"roles entry '{role}' is not a role (1-64 characters)");
        }
    }
}
