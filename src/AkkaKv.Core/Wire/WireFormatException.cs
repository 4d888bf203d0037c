namespace AkkaKv.Wire;

/// <summary>Bytes from a peer that do not follow the wire format: the connection that carried them is closed.</summary>
public sealed class WireFormatException : Exception
{
    public WireFormatException() { }

    public WireFormatException(string message) : base(message) { }

    public WireFormatException(string message, Exception innerException) : base(message, innerException) { }
}
