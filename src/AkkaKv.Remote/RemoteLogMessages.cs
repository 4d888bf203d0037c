using System.Net;
using Microsoft.Extensions.Logging;

namespace AkkaKv.Remote;

internal static partial class RemoteLogMessages
{
    [LoggerMessage(Level = LogLevel.Information, Message = "{Node} listens for peers on {EndPoint}")]
    public static partial void Listening(this ILogger logger, NodeId node, EndPoint endPoint);

    [LoggerMessage(Level = LogLevel.Information, Message = "{Node} connected to {Peer} at {Address}")]
    public static partial void Connected(this ILogger logger, NodeId node, NodeId peer, string address);

    [LoggerMessage(Level = LogLevel.Debug, Message = "{Node} could not reach {Address}: {Reason}; retrying in {Delay}")]
    public static partial void ConnectFailed(this ILogger logger, NodeId node, string address, string reason, TimeSpan delay);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Node}: '{Address}' is not a host:port address; messages for it are dropped")]
    public static partial void BadAddress(this ILogger logger, NodeId node, string address);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Node} refused a connection from {Remote}: {Reason}")]
    public static partial void Refused(this ILogger logger, NodeId node, EndPoint? remote, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Node} was refused by {Address}: {Reason}")]
    public static partial void RefusedByPeer(this ILogger logger, NodeId node, string address, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Node} closed the connection from {Remote}: {Reason}")]
    public static partial void ProtocolViolation(this ILogger logger, NodeId node, EndPoint? remote, string reason);

    [LoggerMessage(Level = LogLevel.Debug, Message = "{Node}: no address for {Peer}; message dropped")]
    public static partial void NoAddress(this ILogger logger, NodeId node, NodeId peer);
}
