using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Configuration;

namespace AkkaKv.Hosting.Options;

/// <summary>The HTTP gateway (<c>akkakv.http</c>).</summary>
public sealed record HttpOptions
{
    public const string Section = "akkakv:http";

    /// <summary>Address to listen on; 127.0.0.1 keeps the node private to this machine.</summary>
    [ConfigurationKeyName("hostname"), Required(AllowEmptyStrings = false)]
    public string Hostname { get; init; } = "127.0.0.1";

    /// <summary>TCP port to listen on.</summary>
    [ConfigurationKeyName("port"), Range(1, 65_535)]
    public int Port { get; init; } = 8080;
}
