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

    /// <summary>Largest frame accepted from a peer; a larger one closes the connection.</summary>
    [ConfigurationKeyName("max-frame-size")]
    public ByteSize MaxFrameSize { get; init; } = ByteSize.FromMebibytes(80);

    /// <summary>Messages queued per peer while its connection is down or slow; beyond it messages are dropped and counted.</summary>
    [ConfigurationKeyName("send-queue-capacity"), Range(16, 10_000_000)]
    public int SendQueueCapacity { get; init; } = 10_000;

    /// <summary>First wait before reconnecting to a peer; doubles up to <see cref="MaxReconnectDelay"/>.</summary>
    [ConfigurationKeyName("min-reconnect-delay"), Range(typeof(TimeSpan), "00:00:00.001", "00:10:00")]
    public TimeSpan MinReconnectDelay { get; init; } = TimeSpan.FromMilliseconds(100);

    [ConfigurationKeyName("max-reconnect-delay"), Range(typeof(TimeSpan), "00:00:00.001", "01:00:00")]
    public TimeSpan MaxReconnectDelay { get; init; } = TimeSpan.FromSeconds(5);

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
        if (MaxReconnectDelay < MinReconnectDelay)
        {
            yield return new ValidationResult($"must not be below min-reconnect-delay ({MinReconnectDelay.TotalMilliseconds:0} ms)", [nameof(MaxReconnectDelay)]);
        }
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
