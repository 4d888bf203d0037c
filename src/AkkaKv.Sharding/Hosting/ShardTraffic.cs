using System.Collections.Concurrent;
using System.Globalization;
using Akka.Actor;
using AkkaKv.Sharding.Remoting;

namespace AkkaKv.Sharding.Hosting;

/// <summary>
/// Client requests between nodes over Akka.Remote without an ask per request: a request for a replica on another node
/// goes to this node's outbox for that node (one actor per peer, <see cref="ShardTrafficOutbox"/>), which sends
/// everything queued before its flush as one <see cref="ShardRequestBatch"/> to the peer's replica manager; the
/// peer's replicas answer into its outbox for this node, which batches the answers back as
/// <see cref="ShardReplyBatch"/>es, and each completes its waiting request by id. Under load, many requests share
/// one Akka.Remote envelope each way; alone, one costs what an ask costs. Request ids are this incarnation's own: the
/// outboxes' names carry <c>incarnation</c> (the node's unique address id), so answers meant for a previous incarnation
/// of the node at the same address go to dead letters instead of completing a new request. Safe from any thread.
/// </summary>
public sealed class ShardTraffic
{
    /// <summary>Default batch budget: far below Akka.Remote's frame limit as AkkaKv configures it.</summary>
    public const int DefaultMaxBatchBytes = 1024 * 1024;

    private readonly ActorSystem _system;
    private readonly NodeId _self;
    private readonly PeerDirectory _peers;
    private readonly string _incarnation;
    private readonly int _maxBatchBytes;
    private readonly ConcurrentDictionary<long, TaskCompletionSource<ShardReply?>> _pending = new();
    private readonly ConcurrentDictionary<NodeId, Lazy<IActorRef>> _outboxes = new();
    private long _lastId;

    public ShardTraffic(ActorSystem system, NodeId self, PeerDirectory peers, long incarnation, int maxBatchBytes = DefaultMaxBatchBytes)
    {
        ArgumentNullException.ThrowIfNull(system);
        ArgumentNullException.ThrowIfNull(peers);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxBatchBytes, 1024);
        (_system, _self, _peers, _maxBatchBytes) = (system, self, peers, maxBatchBytes);
        _incarnation = ((ulong)incarnation).ToString("x", CultureInfo.InvariantCulture);
    }

    /// <summary>What was sent, refused and answered late.</summary>
    public ShardTrafficCounters Counters { get; } = new();

    /// <summary>Requests waiting for an answer now.</summary>
    public int Pending => _pending.Count;

    /// <summary>
    /// Sends <paramref name="request"/> to the replica of <paramref name="shard"/> on <paramref name="node"/> (another
    /// node) and awaits its answer, as <see cref="IShardLocator.AskAsync"/> describes: the reply; a
    /// <see cref="ShardUnavailable"/> when nothing was sent (the node is not a member) or the node has no such
    /// replica; null when no answer came within <paramref name="timeout"/>.
    /// </summary>
    public Task<ShardReply?> AskAsync(NodeId node, ShardId shard, ShardRequest request, TimeSpan timeout, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (node == _self)
        {
            throw new ArgumentException("requests for this node's replicas are asked locally", nameof(node));
        }
        if (!ShardTrafficCodec.CanSend(request))
        {
            return Task.FromResult<ShardReply?>(new ShardUnavailable($"a {request.GetType().Name} cannot leave its node"));
        }
        var id = Interlocked.Increment(ref _lastId);
        var completion = new TaskCompletionSource<ShardReply?>(TaskCreationOptions.RunContinuationsAsynchronously);
        _pending[id] = completion;
        OutboxOf(node).Tell(new ForwardedShardRequest(id, shard, request));
        return AwaitAsync(id, completion.Task, timeout, cancellationToken);
    }

    /// <summary>Queues the answer to a request <paramref name="origin"/> forwarded, for its outbox <paramref name="destination"/>.</summary>
    internal void Reply(NodeId origin, IActorRef destination, ForwardedShardReply reply) =>
        OutboxOf(origin).Tell(new ShardTrafficOutbox.OutgoingReply(destination, reply));

    /// <summary>Completes the waiting request <paramref name="reply"/> answers (a late one is only counted).</summary>
    internal void Complete(ForwardedShardReply reply)
    {
        if (_pending.TryRemove(reply.Id, out var completion))
        {
            completion.TrySetResult(reply.Reply);
        }
        else
        {
            Counters.LateReply();
        }
    }

    /// <summary>Answers requests that were not sent as unavailable, with <paramref name="reason"/>.</summary>
    internal void Refuse(IReadOnlyList<ForwardedShardRequest> requests, string reason)
    {
        Counters.Refused(requests.Count);
        var unavailable = new ShardUnavailable(reason);
        foreach (var request in requests)
        {
            if (_pending.TryRemove(request.Id, out var completion))
            {
                completion.TrySetResult(unavailable);
            }
        }
    }

    private async Task<ShardReply?> AwaitAsync(long id, Task<ShardReply?> answer, TimeSpan timeout, CancellationToken cancellationToken)
    {
        try
        {
            return await AkkaAsk.AnswerOrNullAsync(answer, timeout, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _pending.TryRemove(id, out _); // answered, timed out or cancelled: a later answer is late
        }
    }

    private IActorRef OutboxOf(NodeId peer) =>
        _outboxes.GetOrAdd(peer, node => new Lazy<IActorRef>(() =>
            _system.ActorOf(ShardTrafficOutbox.Props(_self, node, _peers, this, _maxBatchBytes), $"shard-traffic-{node.Value}-{_incarnation}"))).Value;
}
