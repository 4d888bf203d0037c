using System.Buffers;
using System.Collections.Concurrent;
using System.IO.Pipelines;
using System.Net;
using System.Net.Sockets;
using System.Text;
using AkkaKv.Raft;
using Microsoft.Extensions.Logging;

namespace AkkaKv.Remote;

/// <summary>
/// Node-to-node messages over TCP: Raft messages (as <see cref="IRaftTransport"/>) and opaque frames of other
/// protocols (cluster membership) share one connection per peer. Each node keeps one outbound connection per peer (opened on first use,
/// re-opened with exponential back-off) carrying its messages, and accepts inbound connections from peers. Every
/// connection starts with a handshake (cluster, node, incarnation, protocol version); a peer of another cluster or
/// protocol is refused with one log line. A peer that sends bytes outside the wire format, or an oversized frame, is
/// disconnected and logged — the node carries on. Messages queued for a peer are written in batches, one flush per
/// batch; a full queue drops messages (counted in <see cref="Dropped"/>), which Raft tolerates by design.
/// </summary>
public sealed class TcpNodeTransport : IRaftTransport, IAsyncDisposable
{
    private readonly TcpTransportOptions _options;
    private readonly Func<NodeId, EndPoint?> _resolve;
    private readonly Action<ShardId, RaftMessage> _deliver;
    private readonly Action<NodeId, ReadOnlyMemory<byte>>? _deliverCluster;
    private readonly ILogger _logger;
    private readonly ConcurrentDictionary<NodeId, Outbound> _outbound = new();
    private readonly CancellationTokenSource _stopping = new();
    private readonly Socket _listener;
    private Task _acceptLoop = Task.CompletedTask;
    private long _dropped;
    private long _refusedConnections;

    /// <summary>
    /// A transport for <paramref name="options"/>' node; <paramref name="resolve"/> gives a peer's address,
    /// <paramref name="deliver"/> receives every valid inbound Raft message addressed to this node, and
    /// <paramref name="deliverCluster"/> (when given) the payload of every cluster frame with the peer it came from.
    /// </summary>
    public TcpNodeTransport(TcpTransportOptions options, Func<NodeId, EndPoint?> resolve, Action<ShardId, RaftMessage> deliver, ILogger logger,
        Action<NodeId, ReadOnlyMemory<byte>>? deliverCluster = null)
    {
        _deliverCluster = deliverCluster;
        ArgumentNullException.ThrowIfNull(options);
        _options = options;
        _resolve = resolve ?? throw new ArgumentNullException(nameof(resolve));
        _deliver = deliver ?? throw new ArgumentNullException(nameof(deliver));
        _logger = logger ?? throw new ArgumentNullException(nameof(logger));
        _listener = new Socket(options.Listen.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
    }

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
        Enqueue(message.To, new OutboundItem(FrameKind.Raft, shard, message, null));
    }

    /// <summary>Sends a cluster frame to <paramref name="to"/> (best effort, like everything here).</summary>
    public void SendCluster(NodeId to, byte[] payload)
    {
        ArgumentNullException.ThrowIfNull(payload);
        Enqueue(to, new OutboundItem(FrameKind.Cluster, default, null, payload));
    }

    private void Enqueue(NodeId to, OutboundItem item)
    {
        if (_stopping.IsCancellationRequested)
        {
            Interlocked.Increment(ref _dropped);
            return;
        }
        var outbound = _outbound.GetOrAdd(to, peer => new Outbound(this, peer));
        if (!outbound.Queue.Writer.TryWrite(item))
        {
            Interlocked.Increment(ref _dropped);
        }
    }

    /// <summary>A frame waiting for its peer: a Raft message (encoded when written) or an encoded payload.</summary>
    private readonly record struct OutboundItem(FrameKind Kind, ShardId Shard, RaftMessage? Raft, byte[]? Payload);

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

    private Handshake LocalHandshake => new(_options.Cluster, _options.Node, _options.Incarnation, LocalEndPoint.ToString());

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

    /// <summary>One inbound connection: handshake, then Raft frames until the peer closes or misbehaves.</summary>
    private async Task ServeInboundAsync(Socket socket)
    {
        var remote = socket.RemoteEndPoint;
        await using var stream = new NetworkStream(socket, ownsSocket: true);
        var reader = PipeReader.Create(stream);
        var writer = PipeWriter.Create(stream);
        try
        {
            using var handshakeTimeout = CancellationTokenSource.CreateLinkedTokenSource(_stopping.Token);
            handshakeTimeout.CancelAfter(_options.HandshakeTimeout);
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
                if (frameKind == FrameKind.Cluster && _deliverCluster is { } deliverCluster)
                {
                    deliverCluster(peer.Node, frame); // the cluster layer decodes and checks it
                    continue;
                }
                if (frameKind != FrameKind.Raft)
                {
                    throw new RemoteProtocolException($"unexpected {frameKind} frame after the handshake");
                }
                var (shard, message) = RaftMessageCodec.Decode(frame);
                if (message.To != _options.Node || message.From != peer.Node)
                {
                    throw new RemoteProtocolException($"a message from {message.From} to {message.To} on {peer.Node}'s connection to {_options.Node}");
                }
                _deliver(shard, message);
            }
        }
        catch (RemoteProtocolException exception)
        {
            Interlocked.Increment(ref _refusedConnections);
            _logger.ProtocolViolation(_options.Node, remote, exception.Message);
        }
        catch (Exception exception) when (exception is IOException or SocketException or OperationCanceledException or ObjectDisposedException)
        {
            // the peer went away or we are stopping: nothing to report
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
        return peer.Node == _options.Node ? $"{peer.Address} claims this node's own id {peer.Node}" : null;
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

    /// <summary>The connection to one peer and the queue of messages waiting for it.</summary>
    private sealed class Outbound
    {
        private readonly TcpNodeTransport _transport;
        private readonly NodeId _peer;

        public Outbound(TcpNodeTransport transport, NodeId peer)
        {
            _transport = transport;
            _peer = peer;
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
                var endPoint = _transport._resolve(_peer);
                if (endPoint is null)
                {
                    _transport._logger.NoAddress(options.Node, _peer);
                    DropQueued();
                    continue;
                }
                try
                {
                    await ConnectAndSendAsync(endPoint, stopping).ConfigureAwait(false);
                    delay = options.MinReconnectDelay;
                }
                catch (Exception exception) when (exception is IOException or SocketException or RemoteProtocolException or OperationCanceledException)
                {
                    if (stopping.IsCancellationRequested)
                    {
                        return;
                    }
                    _transport._logger.ConnectFailed(options.Node, _peer, endPoint, exception.Message, delay);
                    try
                    {
                        await Task.Delay(delay, stopping).ConfigureAwait(false);
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

        private void DropQueued()
        {
            while (Queue.Reader.TryRead(out _))
            {
                Interlocked.Increment(ref _transport._dropped);
            }
        }

        private async Task ConnectAndSendAsync(EndPoint endPoint, CancellationToken stopping)
        {
            var options = _transport._options;
            using var socket = new Socket(endPoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            using (var connectTimeout = CancellationTokenSource.CreateLinkedTokenSource(stopping))
            {
                connectTimeout.CancelAfter(options.HandshakeTimeout);
                await socket.ConnectAsync(endPoint, connectTimeout.Token).ConfigureAwait(false);
            }
            await using var stream = new NetworkStream(socket, ownsSocket: false);
            var writer = PipeWriter.Create(stream);
            var reader = PipeReader.Create(stream);
            var handshake = new ArrayBufferWriter<byte>();
            HandshakeCodec.Encode(_transport.LocalHandshake, handshake);
            FrameCodec.Write(writer, FrameKind.Handshake, handshake.WrittenSpan);
            await writer.FlushAsync(stopping).ConfigureAwait(false);
            using (var handshakeTimeout = CancellationTokenSource.CreateLinkedTokenSource(stopping))
            {
                handshakeTimeout.CancelAfter(options.HandshakeTimeout);
                var answer = await _transport.ReadFrameAsync(reader, handshakeTimeout.Token).ConfigureAwait(false)
                    ?? throw new RemoteProtocolException("the peer closed during the handshake");
                if (answer.Kind == FrameKind.HandshakeRefused)
                {
                    var reason = Encoding.UTF8.GetString(answer.Payload);
                    _transport._logger.RefusedByPeer(options.Node, _peer, endPoint, reason);
                    DropQueued();
                    throw new RemoteProtocolException($"refused: {reason}");
                }
                if (answer.Kind != FrameKind.HandshakeAccepted || HandshakeCodec.Decode(answer.Payload).Node != _peer)
                {
                    throw new RemoteProtocolException($"{endPoint} is not {_peer}");
                }
            }
            _transport._logger.Connected(options.Node, _peer, endPoint);
            var payload = new ArrayBufferWriter<byte>();
            while (await Queue.Reader.WaitToReadAsync(stopping).ConfigureAwait(false))
            {
                // Everything queued goes out in one flush: small messages share a write.
                while (Queue.Reader.TryRead(out var item))
                {
                    if (item.Raft is { } raft)
                    {
                        payload.ResetWrittenCount();
                        RaftMessageCodec.Encode(item.Shard, raft, payload);
                        FrameCodec.Write(writer, FrameKind.Raft, payload.WrittenSpan);
                    }
                    else
                    {
                        FrameCodec.Write(writer, item.Kind, item.Payload);
                    }
                }
                var flushed = await writer.FlushAsync(stopping).ConfigureAwait(false);
                if (flushed.IsCompleted)
                {
                    throw new IOException("the connection closed");
                }
            }
        }
    }
}
