namespace AkkaKv.Sharding.Hosting;

/// <summary>What the node's Raft transport did: messages handed to Akka.Remote in batches, and messages dropped (peer address unknown).</summary>
public sealed class RaftTransportCounters
{
    private long _messagesSent;
    private long _batchesSent;
    private long _dropped;

    public long MessagesSent => Interlocked.Read(ref _messagesSent);

    public long BatchesSent => Interlocked.Read(ref _batchesSent);

    public long MessagesDropped => Interlocked.Read(ref _dropped);

    internal void Sent(int messages)
    {
        Interlocked.Add(ref _messagesSent, messages);
        Interlocked.Increment(ref _batchesSent);
    }

    internal void Dropped(int messages) => Interlocked.Add(ref _dropped, messages);
}
