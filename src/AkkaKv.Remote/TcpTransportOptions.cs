using System.Net;

namespace AkkaKv.Remote;

/// <summary>How a node talks to its peers over TCP.</summary>
public sealed record TcpTransportOptions
{
    /// <summary>The cluster this node belongs to; peers of another cluster are refused at the handshake.</summary>
    public required string Cluster { get; init; }

    /// <summary>This node's id.</summary>
    public required NodeId Node { get; init; }

    /// <summary>This process's incarnation (a restarted node is a new member); e.g. its start time in ms.</summary>
    public required ulong Incarnation { get; init; }

    /// <summary>Where to listen for peers (port 0 picks a free one; see <see cref="TcpNodeTransport.LocalEndPoint"/>).</summary>
    public required IPEndPoint Listen { get; init; }

    /// <summary>The host peers reach this node at (with the bound port); null: the bound address (right unless it is a wildcard or behind NAT).</summary>
    public string? AdvertisedHost { get; init; }

    /// <summary>Mutual TLS on every connection; null: plain TCP.</summary>
    public TlsSettings? Tls { get; init; }

    /// <summary>Enables <see cref="TcpNodeTransport.Faults"/> (blackhole, delay, throttle). Never on in production.</summary>
    public bool TestMode { get; init; }

    /// <summary>Largest frame accepted from a peer; a larger one closes the connection. Default 80 MiB.</summary>
    public int MaxFrameBytes { get; init; } = 80 * 1024 * 1024;

    /// <summary>Messages queued per peer while its connection is down or slow; beyond it messages are dropped (counted). Default 10,000.</summary>
    public int SendQueueCapacity { get; init; } = 10_000;

    /// <summary>First wait before reconnecting to a peer; doubles up to <see cref="MaxReconnectDelay"/>. Default 100 ms.</summary>
    public TimeSpan MinReconnectDelay { get; init; } = TimeSpan.FromMilliseconds(100);

    /// <summary>Longest wait between reconnection attempts. Default 5 s.</summary>
    public TimeSpan MaxReconnectDelay { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>How long a new connection may take to complete its handshake. Default 5 s.</summary>
    public TimeSpan HandshakeTimeout { get; init; } = TimeSpan.FromSeconds(5);
}
