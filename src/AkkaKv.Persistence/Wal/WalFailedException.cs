namespace AkkaKv.Persistence.Wal;

/// <summary>
/// A write or fsync of the log failed. The log accepts nothing more (carrying on after a failed fsync could
/// acknowledge writes the disk lost); the node must stop and recover from what is durable.
/// </summary>
public sealed class WalFailedException : IOException
{
    public WalFailedException() { }

    public WalFailedException(string message) : base(message) { }

    public WalFailedException(string message, Exception innerException) : base(message, innerException) { }
}
