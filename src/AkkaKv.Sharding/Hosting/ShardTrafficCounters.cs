namespace AkkaKv.Sharding.Hosting;

/// <summary>What a node's <see cref="ShardTraffic"/> did: requests and replies sent in batches, and what was lost or came too late.</summary>
public sealed class ShardTrafficCounters
{
    private long _requestsSent;
    private long _requestBatchesSent;
    private long _repliesSent;
    private long _replyBatchesSent;
    private long _requestsRefused;
    private long _lateReplies;

    public long RequestsSent => Interlocked.Read(ref _requestsSent);

    public long RequestBatchesSent => Interlocked.Read(ref _requestBatchesSent);

    public long RepliesSent => Interlocked.Read(ref _repliesSent);

    public long ReplyBatchesSent => Interlocked.Read(ref _replyBatchesSent);

    /// <summary>Requests answered "unavailable" without being sent: the node was not a member.</summary>
    public long RequestsRefused => Interlocked.Read(ref _requestsRefused);

    /// <summary>Replies that found no waiting request: it had timed out or been cancelled.</summary>
    public long LateReplies => Interlocked.Read(ref _lateReplies);

    internal void SentRequests(int count)
    {
        Interlocked.Add(ref _requestsSent, count);
        Interlocked.Increment(ref _requestBatchesSent);
    }

    internal void SentReplies(int count)
    {
        Interlocked.Add(ref _repliesSent, count);
        Interlocked.Increment(ref _replyBatchesSent);
    }

    internal void Refused(int count) => Interlocked.Add(ref _requestsRefused, count);

    internal void LateReply() => Interlocked.Increment(ref _lateReplies);
}
