using System.ComponentModel.DataAnnotations;
using AkkaKv.Hosting.Hocon;
using Microsoft.Extensions.Configuration;

namespace AkkaKv.Hosting.Options;

/// <summary>Node-to-node TCP transport (<c>akkakv.remote</c>).</summary>
public sealed record RemoteSettings : IValidatableObject
{
    public const string Section = "akkakv:remote";

    /// <summary>Address to listen on for peers.</summary>
    [ConfigurationKeyName("hostname"), Required(AllowEmptyStrings = false)]
    public string Hostname { get; init; } = "127.0.0.1";

    /// <summary>Port to listen on for peers; 0 picks a free one.</summary>
    [ConfigurationKeyName("port"), Range(0, 65_535)]
    public int Port { get; init; } = 2551;

    /// <summary>The host peers reach this node at, when it differs from <see cref="Hostname"/> (0.0.0.0, NAT, containers); empty: the hostname.</summary>
    [ConfigurationKeyName("public-hostname")]
    public string PublicHostname { get; init; } = "";

    /// <summary>Largest message Akka.Remote sends or accepts (<c>maximum-frame-size</c>); a larger incoming frame closes the connection.</summary>
    [ConfigurationKeyName("max-frame-size")]
    public ByteSize MaxFrameSize { get; init; } = ByteSize.FromMebibytes(80);

    /// <summary>After a failed connection to a peer, how long Akka.Remote waits before trying that address again (<c>retry-gate-closed-for</c>).</summary>
    [ConfigurationKeyName("retry-gate-closed-for"), Range(typeof(TimeSpan), "00:00:00.010", "00:10:00")]
    public TimeSpan RetryGateClosedFor { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>How long a new connection may take to connect and complete its (TLS and) handshake.</summary>
    [ConfigurationKeyName("handshake-timeout"), Range(typeof(TimeSpan), "00:00:00.010", "00:10:00")]
    public TimeSpan HandshakeTimeout { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>Enables the fault-injection endpoints (blackhole, delay, throttle) for tests. Never on in production.</summary>
    [ConfigurationKeyName("test-mode")]
    public bool TestMode { get; init; }

    /// <summary>The host peers should use: <see cref="PublicHostname"/>, else <see cref="Hostname"/>.</summary>
    public string AdvertisedHost => PublicHostname.Length > 0 ? PublicHostname : Hostname;

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (MaxFrameSize.Bytes < 64 * 1024 || MaxFrameSize.Bytes > 1024L * 1024 * 1024)
        {
            yield return new ValidationResult("must be between 64KiB and 1GiB", [nameof(MaxFrameSize)]);
        }
        if (AdvertisedHost is "0.0.0.0" or "::" or "[::]")
        {
            yield return new ValidationResult("peers cannot reach a wildcard address: set public-hostname to this node's reachable name or IP", [nameof(PublicHostname)]);
        }
    }
}
