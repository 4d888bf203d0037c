using System.Buffers;
using System.Collections.Concurrent;
using System.IO.Pipelines;
using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Text;
using AkkaKv.Raft;
using Microsoft.Extensions.Logging;

namespace AkkaKv.Remote;

/// <summary>
/// Node-to-node messages over TCP: Raft messages (as <see cref="IRaftTransport"/>) and opaque frames of other
/// protocols (cluster membership) share one connection per peer address. Each node keeps one outbound connection per
/// peer address (opened on first use, re-opened with exponential back-off) carrying its messages, and accepts inbound
/// connections from peers. Every connection starts with a handshake (cluster, node, incarnation, protocol version),
/// optionally inside mutual TLS; a peer of another cluster or protocol is refused with one log line. A peer that sends
/// bytes outside the wire format, or an oversized frame, is disconnected and logged — the node carries on. Messages
/// queued for a peer are written in batches, one flush per batch, with the Raft heartbeats of all shards coalesced
/// into one frame; a full queue drops messages (counted in <see cref="Dropped"/>), which Raft and gossip tolerate by
/// design. In test mode a <see cref="FaultInjector"/> can blackhole, delay or throttle links.
/// </summary>
public sealed class TcpNodeTransport : IRaftTransport, IAsyncDisposable
{
    private readonly TcpTransportOptions _options;
    private readonly Func<NodeId, string?> _resolve;
    private readonly Action<ShardId, RaftMessage> _deliver;
    private readonly Action<NodeId, ReadOnlyMemory<byte>>? _deliverCluster;
    private readonly ILogger _logger;
    private readonly FaultInjector? _faults;
    private readonly ConcurrentDictionary<string, Outbound> _outbound = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<FrameKind, Action<NodeId, ReadOnlyMemory<byte>>> _handlers = new();
    private readonly CancellationTokenSource _stopping = new();
    private readonly Socket _listener;
    private Task _acceptLoop = Task.CompletedTask;
    private long _dropped;
    private long _refusedConnections;

    /// <summary>
    /// A transport for <paramref name="options"/>' node; <paramref name="resolve"/> gives a peer's address
    /// ("host:port") for Raft messages, <paramref name="deliver"/> receives every valid inbound Raft message addressed
    /// to this node, and <paramref name="deliverCluster"/> (when given) the payload of every cluster frame with the
    /// peer it came from.
    /// </summary>
    public TcpNodeTransport(TcpTransportOptions options, Func<NodeId, string?> resolve, Action<ShardId, RaftMessage> deliver, ILogger logger,
        Action<NodeId, ReadOnlyMemory<byte>>? deliverCluster = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = options;
        _resolve = resolve ?? throw new ArgumentNullException(nameof(resolve));
        _deliver = deliver ?? throw new ArgumentNullException(nameof(deliver));
        _logger = logger ?? throw new ArgumentNullException(nameof(logger));
        _deliverCluster = deliverCluster;
        _faults = options.TestMode ? new FaultInjector() : null;
        _listener = new Socket(options.Listen.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
    }

    /// <summary>The test-mode fault injector.</summary>
    /// <exception cref="InvalidOperationException">Test mode is off.</exception>
    public FaultInjector Faults => _faults ?? throw new InvalidOperationException("fault injection needs the transport's test mode (akkakv.remote.test-mode = on)");

    /// <summary>The address peers reach this node at ("host:port", known after <see cref="Start"/>): the advertised host, else the bound address, with the bound port.</summary>
    public string Address => _options.AdvertisedHost is { } host
        ? $"{(host.Contains(':', StringComparison.Ordinal) && !host.StartsWith('[') ? $"[{host}]" : host)}:{LocalEndPoint.Port}"
        : LocalEndPoint.ToString();

    /// <summary>Where this node listens (known after <see cref="Start"/>).</summary>
    public IPEndPoint LocalEndPoint => (IPEndPoint)_listener.LocalEndPoint!;

    /// <summary>Messages dropped: queue full, peer unknown, or transport stopped.</summary>
    public long Dropped => Interlocked.Read(ref _dropped);

    /// <summary>Inbound connections refused or closed for protocol violations.</summary>
    public long RefusedConnections => Interlocked.Read(ref _refusedConnections);

    /// <summary>Binds the listening socket and starts accepting peers.</summary>
    /// <exception cref="SocketException">The address is in use or not available.</exception>
    public void Start()
    {
        _listener.Bind(_options.Listen);
        _listener.Listen(128);
        _logger.Listening(_options.Node, LocalEndPoint);
        _acceptLoop = AcceptLoopAsync();
    }

    public void Send(ShardId shard, RaftMessage message)
    {
        ArgumentNullException.ThrowIfNull(message);
        if (_resolve(message.To) is not { } address)
        {
            _logger.NoAddress(_options.Node, message.To);
            Drop(new OutboundItem(FrameKind.Raft, shard, message, null), "no address");
            return;
        }
        Enqueue(address, new OutboundItem(FrameKind.Raft, shard, message, null));
    }

    /// <summary>
    /// Raised (on a transport thread) for every Raft message other than a heartbeat that was dropped — queue full (the
    /// peer is down or slow), no address, refused by the peer, another node at the address, transport stopping — with
    /// the reason, so the sender learns of it (a Raft replica can report the peer unreachable and probe it again).
    /// Heartbeats are only counted: the next round replaces them.
    /// </summary>
    public event Action<ShardId, RaftMessage, string>? RaftUndeliverable;

    /// <summary>
    /// Raised (on a transport thread) for every actor-message frame that was dropped, with its payload and the reason,
    /// so the remote actor layer can report the message undeliverable. Cluster frames are only counted: gossip and
    /// heartbeats are repeated anyway.
    /// </summary>
    public event Action<byte[], string>? ActorFrameUndeliverable;

    private void Drop(OutboundItem item, string reason)
    {
        Interlocked.Increment(ref _dropped);
        if (item.Raft is { } raft and not (Heartbeat or HeartbeatResponse))
        {
            RaftUndeliverable?.Invoke(item.Shard, raft, reason);
        }
        else if (item.Kind == FrameKind.ActorMessage && item.Payload is { } payload)
        {
            ActorFrameUndeliverable?.Invoke(payload, reason);
        }
    }

    /// <summary>Sends a cluster frame to the node listening at <paramref name="address"/> ("host:port"; best effort, like everything here).</summary>
    public void SendCluster(string address, byte[] payload) => SendFrame(address, FrameKind.Cluster, payload);

    /// <summary>Sends a frame of another protocol (cluster, actor messages) to the node listening at <paramref name="address"/>.</summary>
    public void SendFrame(string address, FrameKind kind, byte[] payload)
    {
        ArgumentException.ThrowIfNullOrEmpty(address);
        ArgumentNullException.ThrowIfNull(payload);
        if (kind is not (FrameKind.Cluster or FrameKind.ActorMessage))
        {
            throw new ArgumentOutOfRangeException(nameof(kind), kind, "only cluster and actor frames are sent this way");
        }
        Enqueue(address, new OutboundItem(kind, default, null, payload));
    }

    /// <summary>Delivers inbound frames of <paramref name="kind"/> to <paramref name="handler"/> (with the peer they came from).</summary>
    public void Handle(FrameKind kind, Action<NodeId, ReadOnlyMemory<byte>> handler)
    {
        ArgumentNullException.ThrowIfNull(handler);
        _handlers[kind] = handler;
    }

    private void Enqueue(string address, OutboundItem item)
    {
        if (_stopping.IsCancellationRequested)
        {
            Drop(item, "the transport is stopping");
            return;
        }
        var outbound = _outbound.GetOrAdd(address, peer => new Outbound(this, peer));
        // Heartbeats and membership frames may take only half the queue: a flood of them (a peer down, many shards)
        // never leaves a Raft entry or an actor message without room.
        if (item.IsDroppable && outbound.Queue.Reader.Count >= _options.SendQueueCapacity / 2)
        {
            Drop(item, $"the send queue to {address} is half full");
            return;
        }
        if (!outbound.Queue.Writer.TryWrite(item))
        {
            Drop(item, $"the send queue to {address} is full");
        }
    }

    /// <summary>A frame waiting for its peer: a Raft message (encoded when written) or an encoded payload.</summary>
    private readonly record struct OutboundItem(FrameKind Kind, ShardId Shard, RaftMessage? Raft, byte[]? Payload)
    {
        /// <summary>Raft heartbeats and membership frames (gossip, failure-detector heartbeats): repeated anyway, so dropped first.</summary>
        public bool IsDroppable => Raft is Heartbeat or HeartbeatResponse || Kind == FrameKind.Cluster;
    }

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync().ConfigureAwait(false);
        _listener.Dispose();
        foreach (var outbound in _outbound.Values)
        {
            outbound.Queue.Writer.TryComplete();
        }
        await Task.WhenAll(_outbound.Values.Select(outbound => outbound.Loop).Append(_acceptLoop)).ConfigureAwait(false);
        _stopping.Dispose();
    }

    private Handshake LocalHandshake => new(_options.Cluster, _options.Node, _options.Incarnation, Address);

    private async Task AcceptLoopAsync()
    {
        while (!_stopping.IsCancellationRequested)
        {
            Socket socket;
            try
            {
                socket = await _listener.AcceptAsync(_stopping.Token).ConfigureAwait(false);
            }
            catch (Exception exception) when (exception is OperationCanceledException or ObjectDisposedException or SocketException)
            {
                return;
            }
            _ = ServeInboundAsync(socket);
        }
    }

    /// <summary>One inbound connection: (TLS,) handshake, then frames until the peer closes or misbehaves.</summary>
    private async Task ServeInboundAsync(Socket socket)
    {
        var remote = socket.RemoteEndPoint;
        Stream stream = new NetworkStream(socket, ownsSocket: true);
        try
        {
            using var handshakeTimeout = CancellationTokenSource.CreateLinkedTokenSource(_stopping.Token);
            handshakeTimeout.CancelAfter(_options.HandshakeTimeout);
            if (_options.Tls is { } tls)
            {
                var secured = new SslStream(stream, leaveInnerStreamOpen: false);
                stream = secured;
                await secured.AuthenticateAsServerAsync(tls.ServerOptions, handshakeTimeout.Token).ConfigureAwait(false);
            }
            var reader = PipeReader.Create(stream);
            var writer = PipeWriter.Create(stream);
            var (kind, payload) = await ReadFrameAsync(reader, handshakeTimeout.Token).ConfigureAwait(false)
                ?? throw new RemoteProtocolException("closed before the handshake");
            if (kind != FrameKind.Handshake)
            {
                throw new RemoteProtocolException($"expected a handshake, got a {kind} frame");
            }
            var peer = HandshakeCodec.Decode(payload);
            if (Incompatibility(peer) is { } reason)
            {
                Interlocked.Increment(ref _refusedConnections);
                _logger.Refused(_options.Node, remote, reason);
                FrameCodec.Write(writer, FrameKind.HandshakeRefused, Encoding.UTF8.GetBytes(reason));
                await writer.FlushAsync(_stopping.Token).ConfigureAwait(false);
                return;
            }
            var accepted = new ArrayBufferWriter<byte>();
            HandshakeCodec.Encode(LocalHandshake, accepted);
            FrameCodec.Write(writer, FrameKind.HandshakeAccepted, accepted.WrittenSpan);
            await writer.FlushAsync(_stopping.Token).ConfigureAwait(false);
            while (await ReadFrameAsync(reader, _stopping.Token).ConfigureAwait(false) is var (frameKind, frame))
            {
                if (_faults?.For(peer.Node).DropsReceived == true)
                {
                    continue; // test-mode blackhole
                }
                DeliverInbound(peer.Node, frameKind, frame);
            }
        }
        catch (RemoteProtocolException exception)
        {
            Interlocked.Increment(ref _refusedConnections);
            _logger.ProtocolViolation(_options.Node, remote, exception.Message);
        }
        catch (AuthenticationException exception)
        {
            Interlocked.Increment(ref _refusedConnections);
            _logger.ProtocolViolation(_options.Node, remote, $"TLS: {exception.Message}");
        }
        catch (Exception exception) when (exception is IOException or SocketException or OperationCanceledException or ObjectDisposedException)
        {
            // the peer went away or we are stopping: nothing to report
        }
        finally
        {
            await stream.DisposeAsync().ConfigureAwait(false);
        }
    }

    private void DeliverInbound(NodeId peer, FrameKind kind, byte[] frame)
    {
        switch (kind)
        {
            case FrameKind.Cluster when _deliverCluster is { } deliverCluster:
                deliverCluster(peer, frame); // the cluster layer decodes and checks it
                break;
            case FrameKind.Cluster or FrameKind.ActorMessage when _handlers.TryGetValue(kind, out var handler):
                handler(peer, frame); // the protocol's layer decodes and checks it
                break;
            case FrameKind.Raft:
                var (shard, message) = RaftMessageCodec.Decode(frame);
                CheckAddressing(peer, message);
                _deliver(shard, message);
                break;
            case FrameKind.RaftHeartbeats:
                foreach (var (heartbeatShard, heartbeat) in HeartbeatBatchCodec.Decode(frame, from: peer, to: _options.Node))
                {
                    _deliver(heartbeatShard, heartbeat);
                }
                break;
            default:
                throw new RemoteProtocolException($"unexpected {kind} frame after the handshake");
        }
    }

    private void CheckAddressing(NodeId peer, RaftMessage message)
    {
        if (message.To != _options.Node || message.From != peer)
        {
            throw new RemoteProtocolException($"a message from {message.From} to {message.To} on {peer}'s connection to {_options.Node}");
        }
    }

    private string? Incompatibility(Handshake peer)
    {
        if (peer.ProtocolVersion != HandshakeCodec.ProtocolVersion)
        {
            return $"{peer.Node} at {peer.Address} speaks protocol {peer.ProtocolVersion}, this node {HandshakeCodec.ProtocolVersion}";
        }
        if (!string.Equals(peer.Cluster, _options.Cluster, StringComparison.Ordinal))
        {
            return $"{peer.Node} at {peer.Address} belongs to cluster '{peer.Cluster}', this node to '{_options.Cluster}'";
        }
        return peer.Node == _options.Node ? $"{peer.Address} claims this node's own id {peer.Node} (two nodes with one id: a copied data directory?)" : null;
    }

    /// <summary>The next frame (payload copied), or null at a clean end of stream.</summary>
    private async Task<(FrameKind Kind, byte[] Payload)?> ReadFrameAsync(PipeReader reader, CancellationToken cancellation)
    {
        while (true)
        {
            var result = await reader.ReadAsync(cancellation).ConfigureAwait(false);
            var buffer = result.Buffer;
            if (FrameCodec.TryRead(ref buffer, _options.MaxFrameBytes, out var kind, out var payload))
            {
                var bytes = payload.ToArray();
                reader.AdvanceTo(buffer.Start);
                return (kind, bytes);
            }
            if (result.IsCompleted)
            {
                if (!buffer.IsEmpty)
                {
                    throw new RemoteProtocolException($"connection closed inside a frame ({buffer.Length} bytes pending)");
                }
                return null;
            }
            reader.AdvanceTo(buffer.Start, buffer.End);
        }
    }

    /// <summary>The connection to one peer address and the queue of messages waiting for it.</summary>
    private sealed class Outbound
    {
        private readonly TcpNodeTransport _transport;
        private readonly string _address;

        public Outbound(TcpNodeTransport transport, string address)
        {
            _transport = transport;
            _address = address;
            Queue = System.Threading.Channels.Channel.CreateBounded<OutboundItem>(
                new System.Threading.Channels.BoundedChannelOptions(transport._options.SendQueueCapacity)
                {
                    SingleReader = true,
                    FullMode = System.Threading.Channels.BoundedChannelFullMode.Wait, // TryWrite fails instead of waiting
                });
            Loop = RunAsync();
        }

        public System.Threading.Channels.Channel<OutboundItem> Queue { get; }

        public Task Loop { get; }

        private async Task RunAsync()
        {
            var options = _transport._options;
            var delay = options.MinReconnectDelay;
            var stopping = _transport._stopping.Token;
            while (!stopping.IsCancellationRequested && await WaitForWorkAsync(stopping).ConfigureAwait(false))
            {
                if (!TryParseAddress(_address, out var endPoint))
                {
                    _transport._logger.BadAddress(options.Node, _address);
                    DropQueued($"'{_address}' is not a host:port address");
                    continue;
                }
                try
                {
                    await ConnectAndSendAsync(endPoint, stopping).ConfigureAwait(false);
                    delay = options.MinReconnectDelay;
                }
                catch (Exception exception) when (exception is IOException or SocketException or RemoteProtocolException or AuthenticationException or OperationCanceledException)
                {
                    if (stopping.IsCancellationRequested)
                    {
                        return;
                    }
                    _transport._logger.ConnectFailed(options.Node, _address, exception.Message, delay);
                    try
                    {
                        await Task.Delay(delay, stopping).ConfigureAwait(false); // allowed: reconnect back-off
                    }
                    catch (OperationCanceledException)
                    {
                        return;
                    }
                    delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, options.MaxReconnectDelay.Ticks));
                }
            }
        }

        private async Task<bool> WaitForWorkAsync(CancellationToken stopping)
        {
            try
            {
                return await Queue.Reader.WaitToReadAsync(stopping).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return false;
            }
        }

        private void DropQueued(string reason)
        {
            while (Queue.Reader.TryRead(out var item))
            {
                _transport.Drop(item, reason);
            }
        }

        private async Task ConnectAndSendAsync(EndPoint endPoint, CancellationToken stopping)
        {
            var options = _transport._options;
            using var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            using var handshakeTimeout = CancellationTokenSource.CreateLinkedTokenSource(stopping);
            handshakeTimeout.CancelAfter(options.HandshakeTimeout);
            await socket.ConnectAsync(endPoint, handshakeTimeout.Token).ConfigureAwait(false);
            Stream stream = new NetworkStream(socket, ownsSocket: false);
            await using var _ = stream.ConfigureAwait(false);
            if (options.Tls is { } tls)
            {
                var secured = new SslStream(stream, leaveInnerStreamOpen: false);
                stream = secured;
                await secured.AuthenticateAsClientAsync(tls.ClientOptions(HostOf(_address)), handshakeTimeout.Token).ConfigureAwait(false);
            }
            await using var secure = stream.ConfigureAwait(false);
            var writer = PipeWriter.Create(stream);
            var reader = PipeReader.Create(stream);
            var handshake = new ArrayBufferWriter<byte>();
            HandshakeCodec.Encode(_transport.LocalHandshake, handshake);
            FrameCodec.Write(writer, FrameKind.Handshake, handshake.WrittenSpan);
            await writer.FlushAsync(stopping).ConfigureAwait(false);
            var answer = await _transport.ReadFrameAsync(reader, handshakeTimeout.Token).ConfigureAwait(false)
                ?? throw new RemoteProtocolException("the peer closed during the handshake");
            if (answer.Kind == FrameKind.HandshakeRefused)
            {
                var reason = Encoding.UTF8.GetString(answer.Payload);
                _transport._logger.RefusedByPeer(options.Node, _address, reason);
                DropQueued($"refused by {_address}: {reason}");
                throw new RemoteProtocolException($"refused: {reason}");
            }
            if (answer.Kind != FrameKind.HandshakeAccepted)
            {
                throw new RemoteProtocolException($"{_address} answered the handshake with a {answer.Kind} frame");
            }
            var peer = HandshakeCodec.Decode(answer.Payload).Node;
            _transport._logger.Connected(options.Node, peer, _address);
            var payload = new ArrayBufferWriter<byte>();
            var heartbeats = new List<(ShardId, RaftMessage)>();
            while (await Queue.Reader.WaitToReadAsync(stopping).ConfigureAwait(false))
            {
                var fault = _transport._faults?.For(peer) ?? LinkFault.None;
                var written = 0L;
                // Everything queued goes out in one flush: small messages share a write, heartbeats share a frame.
                while (Queue.Reader.TryRead(out var item))
                {
                    if (fault.DropsSent)
                    {
                        Interlocked.Increment(ref _transport._dropped); // test-mode blackhole: a lossy network tells nobody
                        continue;
                    }
                    if (item.Raft is { } addressed && addressed.To != peer)
                    {
                        _transport.Drop(item, $"{_address} is now {peer}, not {addressed.To}");
                        continue;
                    }
                    if (item.Raft is Heartbeat or HeartbeatResponse)
                    {
                        heartbeats.Add((item.Shard, item.Raft));
                        continue;
                    }
                    if (item.Raft is { } raft)
                    {
                        payload.ResetWrittenCount();
                        RaftMessageCodec.Encode(item.Shard, raft, payload);
                        FrameCodec.Write(writer, FrameKind.Raft, payload.WrittenSpan);
                        written += payload.WrittenCount + FrameCodec.PrefixBytes;
                    }
                    else
                    {
                        FrameCodec.Write(writer, item.Kind, item.Payload);
                        written += item.Payload!.Length + FrameCodec.PrefixBytes;
                    }
                }
                if (heartbeats.Count > 0)
                {
                    payload.ResetWrittenCount();
                    HeartbeatBatchCodec.Encode(heartbeats, payload);
                    FrameCodec.Write(writer, FrameKind.RaftHeartbeats, payload.WrittenSpan);
                    written += payload.WrittenCount + FrameCodec.PrefixBytes;
                    heartbeats.Clear();
                }
                await ApplyFaultAsync(fault, written, stopping).ConfigureAwait(false);
                var flushed = await writer.FlushAsync(stopping).ConfigureAwait(false);
                if (flushed.IsCompleted)
                {
                    throw new IOException("the connection closed");
                }
            }
        }

        /// <summary>Test mode: hold a batch back by the link's delay, or long enough to keep to its byte rate.</summary>
        private static Task ApplyFaultAsync(LinkFault fault, long bytes, CancellationToken stopping) => fault.Mode switch
        {
            FaultMode.Delay when fault.Direction != FaultDirection.Receive => Task.Delay(fault.Delay, stopping), // allowed: injected fault
            FaultMode.Throttle when fault.Direction != FaultDirection.Receive && bytes > 0 =>
                Task.Delay(TimeSpan.FromSeconds((double)bytes / fault.BytesPerSecond), stopping), // allowed: injected fault
            _ => Task.CompletedTask,
        };
    }

    /// <summary>Parses "host:port" (IPv4, [IPv6] or a DNS name).</summary>
    public static bool TryParseAddress(string address, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out EndPoint? endPoint)
    {
        endPoint = null;
        if (IPEndPoint.TryParse(address, out var ip) && ip.Port > 0)
        {
            endPoint = ip;
            return true;
        }
        var colon = address.LastIndexOf(':');
        if (colon <= 0 || !int.TryParse(address.AsSpan(colon + 1), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var port)
            || port is < 1 or > 65535 || Uri.CheckHostName(address[..colon]) != UriHostNameType.Dns)
        {
            return false;
        }
        endPoint = new DnsEndPoint(address[..colon], port);
        return true;
    }

    private static string HostOf(string address)
    {
        var colon = address.LastIndexOf(':');
        return (colon > 0 ? address[..colon] : address).Trim('[', ']');
    }
}
