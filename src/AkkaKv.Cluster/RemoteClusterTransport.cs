using AkkaKv.Actors;
using AkkaKv.Remote;
using Microsoft.Extensions.Logging;

namespace AkkaKv.Cluster;

/// <summary>
/// Cluster messages over the node's TCP connections: encoded with <see cref="ClusterMessageCodec"/> and sent as
/// cluster frames; inbound frames are decoded, checked against the peer that sent them, and told to the local
/// <see cref="ClusterActor"/>. A malformed or forged frame is dropped and logged.
/// </summary>
public sealed partial class RemoteClusterTransport(ILogger logger) : IClusterTransport
{
    private TcpNodeTransport? _transport;
    private IActorRef? _clusterActor;
    private long _rejected;

    /// <summary>Frames refused (malformed, or claiming another sender than the connection's peer).</summary>
    public long Rejected => Interlocked.Read(ref _rejected);

    /// <summary>Connects the two ends once both exist (the transport needs the handler first, the actor the transport).</summary>
    public void Attach(TcpNodeTransport transport, IActorRef clusterActor)
    {
        _transport = transport ?? throw new ArgumentNullException(nameof(transport));
        _clusterActor = clusterActor ?? throw new ArgumentNullException(nameof(clusterActor));
    }

    public void Send(string address, ClusterMessage message) => _transport?.SendCluster(address, ClusterMessageCodec.Encode(message));

    /// <summary>The handler to give the <see cref="TcpNodeTransport"/> for inbound cluster frames.</summary>
    public void Deliver(NodeId peer, ReadOnlyMemory<byte> frame)
    {
        ClusterMessage message;
        try
        {
            message = ClusterMessageCodec.Decode(frame.Span);
        }
        catch (FormatException exception)
        {
            Interlocked.Increment(ref _rejected);
            LogRejected(logger, peer, exception.Message);
            return;
        }
        if (message.From != peer)
        {
            Interlocked.Increment(ref _rejected);
            LogRejected(logger, peer, $"a message claiming to come from {message.From}");
            return;
        }
        _clusterActor?.Tell(message);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Cluster frame from {Peer} dropped: {Reason}")]
    private static partial void LogRejected(ILogger logger, NodeId peer, string reason);
}
