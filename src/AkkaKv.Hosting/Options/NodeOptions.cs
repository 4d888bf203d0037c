using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Configuration;

namespace AkkaKv.Hosting.Options;

/// <summary>This node (<c>akkakv.node</c>).</summary>
public sealed record NodeOptions
{
    public const string Section = "akkakv:node";

    /// <summary>The node's name: its actor system's name and how operators and peers refer to it.</summary>
    [ConfigurationKeyName("name"), Required, RegularExpression("^[A-Za-z0-9][A-Za-z0-9_-]{0,62}$", ErrorMessage = "must be 1-63 letters, digits, '-' or '_', starting with a letter or digit")]
    public string Name { get; init; } = "akkakv";

    /// <summary>Directory of the node's write-ahead log and snapshots, relative to the working directory unless absolute.</summary>
    [ConfigurationKeyName("data-dir"), Required(AllowEmptyStrings = false)]
    public string DataDir { get; init; } = "data";
}
