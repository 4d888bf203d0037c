using System.Buffers;
using System.Collections.Concurrent;
using AkkaKv.Actors;
using Microsoft.Extensions.Logging;

namespace AkkaKv.Remote;

/// <summary>
/// Remote actor references for one node: resolves <c>akkakv://&lt;cluster&gt;@host:port/user/...</c> paths to local
/// actors or <see cref="RemoteActorRef"/>s, sends their messages as actor frames with the registered
/// <see cref="RemoteSerializers"/>, and delivers inbound actor frames to the local actor at the recipient path with
/// the sender as a remote reference. A message that cannot be sent (no serializer) or delivered (no such actor, a
/// malformed frame) is logged and goes to dead letters — never silently lost.
/// </summary>
public sealed partial class RemoteActorProvider
{
    private const int MaxExported = 100_000;
    private readonly TcpNodeTransport _transport;
    private readonly RemoteSerializers _serializers;
    private readonly string _cluster;
    private readonly ILogger _logger;
    private readonly ConcurrentDictionary<string, IActorRef> _exported = new(StringComparer.Ordinal);
    private long _undeliverable;

    public RemoteActorProvider(ActorSystem system, TcpNodeTransport transport, RemoteSerializers serializers, string cluster, ILogger logger)
    {
        System = system ?? throw new ArgumentNullException(nameof(system));
        _transport = transport ?? throw new ArgumentNullException(nameof(transport));
        _serializers = serializers ?? throw new ArgumentNullException(nameof(serializers));
        _cluster = cluster ?? throw new ArgumentNullException(nameof(cluster));
        _logger = logger ?? throw new ArgumentNullException(nameof(logger));
        transport.Handle(FrameKind.ActorMessage, Deliver);
        transport.ActorFrameUndeliverable += OnFrameDropped;
    }

    public ActorSystem System { get; }

    /// <summary>Messages that could not be sent or delivered (each also logged and sent to dead letters).</summary>
    public long Undeliverable => Interlocked.Read(ref _undeliverable);

    /// <summary>The cluster-wide path of a local actor.</summary>
    public RemoteActorPath PathOf(IActorRef local)
    {
        ArgumentNullException.ThrowIfNull(local);
        return new RemoteActorPath(_cluster, _transport.Address, local.Path.Elements);
    }

    /// <summary>The actor at <paramref name="path"/>: a local one when the path is this node's, else a remote reference.</summary>
    /// <exception cref="FormatException">Not an actor path, or of another cluster.</exception>
    public IActorRef Resolve(string path)
    {
        var parsed = RemoteActorPath.Parse(path);
        if (!string.Equals(parsed.Cluster, _cluster, StringComparison.Ordinal))
        {
            throw new FormatException($"'{path}' belongs to cluster '{parsed.Cluster}', this node to '{_cluster}'");
        }
        return IsLocal(parsed) ? ResolveLocal(parsed) ?? System.DeadLetters : new RemoteActorRef(this, parsed);
    }

    private bool IsLocal(RemoteActorPath path) => string.Equals(path.Address, _transport.Address, StringComparison.Ordinal);

    private IActorRef? ResolveLocal(RemoteActorPath path) =>
        System.ResolveLocal(path.Elements) ?? (_exported.TryRemove(string.Join('/', path.Elements), out var exported) ? exported : null);

    internal void Send(RemoteActorRef recipient, object message, IActorRef? sender)
    {
        ArgumentNullException.ThrowIfNull(message);
        if (!_serializers.TryGet(message.GetType(), out var serializer))
        {
            Undelivered(message, sender, recipient, $"no remote serializer for {message.GetType().Name}");
            return;
        }
        var payload = new ArrayBufferWriter<byte>();
        serializer.Write(message, payload);
        _transport.SendFrame(recipient.RemotePath.Address, FrameKind.ActorMessage,
            ActorMessageCodec.Encode(recipient.RemotePath.ToString(), SenderPath(sender), serializer.Id, payload.WrittenSpan));
    }

    /// <summary>The path a remote node replies to: the sender's own, or — for a reference outside the hierarchy such as an ask's — an exported one.</summary>
    private string? SenderPath(IActorRef? sender)
    {
        switch (sender)
        {
            case null:
                return null;
            case RemoteActorRef remote:
                return remote.RemotePath.ToString();
        }
        var path = PathOf(sender);
        if (System.ResolveLocal(path.Elements) is null && _exported.Count < MaxExported)
        {
            _exported[string.Join('/', path.Elements)] = sender; // answered once, then forgotten
        }
        return path.ToString();
    }

    private void Deliver(NodeId peer, ReadOnlyMemory<byte> frame)
    {
        string recipientText;
        string? senderText;
        ushort serializerId;
        ReadOnlyMemory<byte> bytes;
        try
        {
            (recipientText, senderText, serializerId, bytes) = ActorMessageCodec.Decode(frame);
        }
        catch (RemoteProtocolException error)
        {
            Interlocked.Increment(ref _undeliverable);
            LogMalformed(_logger, peer, error.Message);
            return;
        }
        if (!RemoteActorPath.TryParse(recipientText, out var recipient, out var problem) || !IsLocal(recipient!) || recipient!.Cluster != _cluster)
        {
            Interlocked.Increment(ref _undeliverable);
            LogMalformed(_logger, peer, recipient is null ? problem : $"{recipientText} is not an actor of this node");
            return;
        }
        IActorRef? sender = null;
        if (senderText is not null)
        {
            if (!RemoteActorPath.TryParse(senderText, out var senderPath, out problem))
            {
                Interlocked.Increment(ref _undeliverable);
                LogMalformed(_logger, peer, problem);
                return;
            }
            sender = new RemoteActorRef(this, senderPath!);
        }
        object message;
        try
        {
            message = _serializers.TryGet(serializerId, out var serializer)
                ? serializer.Read(bytes.Span)
                : throw new FormatException($"no serializer with id {serializerId}");
        }
        catch (Exception error) when (error is FormatException or RemoteProtocolException or InvalidDataException)
        {
            Interlocked.Increment(ref _undeliverable);
            LogMalformed(_logger, peer, $"message for {recipientText}: {error.Message}");
            return;
        }
        if (ResolveLocal(recipient) is { } target)
        {
            target.Tell(message, sender);
        }
        else
        {
            Undelivered(message, sender, new RemoteActorRef(this, recipient), "no such actor");
        }
    }

    /// <summary>A frame the transport could not send: the message is reported like any undeliverable one.</summary>
    private void OnFrameDropped(byte[] frame, string reason)
    {
        try
        {
            var (recipientText, senderText, serializerId, bytes) = ActorMessageCodec.Decode(frame);
            if (RemoteActorPath.TryParse(recipientText, out var recipient, out _) && _serializers.TryGet(serializerId, out var serializer))
            {
                var sender = senderText is not null && RemoteActorPath.TryParse(senderText, out var senderPath, out _)
                    ? (IsLocal(senderPath!) ? ResolveLocal(senderPath!) : new RemoteActorRef(this, senderPath!))
                    : null;
                Undelivered(serializer.Read(bytes.Span), sender, new RemoteActorRef(this, recipient!), reason);
                return;
            }
        }
        catch (Exception error) when (error is RemoteProtocolException or FormatException)
        {
            // our own frame: cannot happen; count it below all the same
        }
        Interlocked.Increment(ref _undeliverable);
    }

    private void Undelivered(object message, IActorRef? sender, RemoteActorRef recipient, string reason)
    {
        Interlocked.Increment(ref _undeliverable);
        LogUndeliverable(_logger, message.GetType().Name, recipient.RemotePath, reason);
        System.DeadLetters.Tell(message, sender);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Actor message from {Peer} dropped: {Reason}")]
    private static partial void LogMalformed(ILogger logger, NodeId peer, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{MessageType} for {Recipient} not delivered: {Reason}")]
    private static partial void LogUndeliverable(ILogger logger, string messageType, RemoteActorPath recipient, string reason);
}
