namespace AkkaKv.Remote;

/// <summary>Bytes from a peer that do not follow the wire format: the connection that carried them is closed.</summary>
public sealed class RemoteProtocolException : Exception
{
    public RemoteProtocolException() { }

    public RemoteProtocolException(string message) : base(message) { }

    public RemoteProtocolException(string message, Exception innerException) : base(message, innerException) { }
}
