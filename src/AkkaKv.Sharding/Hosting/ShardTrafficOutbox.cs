using Akka.Actor;
using AkkaKv.Sharding.Remoting;
using AkkaKv.Store;

namespace AkkaKv.Sharding.Hosting;

/// <summary>
/// This node's client traffic with one peer node (<see cref="ShardTraffic"/>): requests for the peer's replicas and
/// answers to the peer's requests. Everything queued before the outbox's own flush message goes in one
/// <see cref="ShardRequestBatch"/> (to the peer's replica manager, sent as from this outbox so the answers come back
/// here) and one <see cref="ShardReplyBatch"/> per asking outbox; a batch is also cut when it reaches the byte budget.
/// The answers the peer sends back complete their requests here. Requests for a peer that is not a member are answered
/// unavailable at once: nothing was sent.
/// </summary>
internal sealed class ShardTrafficOutbox : UntypedActor
{
    private readonly NodeId _self;
    private readonly NodeId _peer;
    private readonly PeerDirectory _peers;
    private readonly ShardTraffic _traffic;
    private readonly int _maxBatchBytes;
    private List<ForwardedShardRequest> _requests = [];
    private readonly List<OutgoingReply> _replies = [];
    private long _pendingBytes;
    private bool _flushQueued;
    private (Address Address, IActorRef Manager)? _target;

    /// <summary>Used by Akka.NET through <see cref="Props"/> (its activator needs a public constructor).</summary>
    public ShardTrafficOutbox(NodeId self, NodeId peer, PeerDirectory peers, ShardTraffic traffic, int maxBatchBytes) =>
        (_self, _peer, _peers, _traffic, _maxBatchBytes) = (self, peer, peers, traffic, maxBatchBytes);

    public static Props Props(NodeId self, NodeId peer, PeerDirectory peers, ShardTraffic traffic, int maxBatchBytes) =>
        Akka.Actor.Props.Create(() => new ShardTrafficOutbox(self, peer, peers, traffic, maxBatchBytes));

    /// <summary>An answer for the peer's outbox <paramref name="Destination"/>.</summary>
    public sealed record OutgoingReply(IActorRef Destination, ForwardedShardReply Reply);

    private sealed class Flush
    {
        public static readonly Flush Instance = new();
    }

    protected override void OnReceive(object message)
    {
        switch (message)
        {
            case ForwardedShardRequest request:
                _requests.Add(request);
                Queued(EstimatedBytes(request.Request));
                break;
            case OutgoingReply reply:
                _replies.Add(reply);
                Queued(EstimatedBytes(reply.Reply.Reply));
                break;
            case ShardReplyBatch answers:
                foreach (var answer in answers.Replies)
                {
                    _traffic.Complete(answer);
                }
                break;
            case Flush:
                _flushQueued = false;
                SendPending();
                break;
            default:
                Unhandled(message);
                break;
        }
    }

    private void Queued(long bytes)
    {
        _pendingBytes += bytes;
        if (_pendingBytes >= _maxBatchBytes)
        {
            SendPending();
        }
        else if (!_flushQueued)
        {
            _flushQueued = true;
            Self.Tell(Flush.Instance); // behind everything already queued: they join this batch
        }
    }

    private void SendPending()
    {
        _pendingBytes = 0;
        if (_requests.Count > 0)
        {
            var requests = _requests;
            _requests = [];
            if (ReplicaManager() is { } manager)
            {
                manager.Tell(new ShardRequestBatch(_self, _peer, requests), Self);
                _traffic.Counters.SentRequests(requests.Count);
            }
            else
            {
                _traffic.Refuse(requests, $"node {_peer} is not a member of the cluster now");
            }
        }
        if (_replies.Count > 0)
        {
            SendReplies();
        }
    }

    private void SendReplies()
    {
        // Nearly always one destination (the peer's outbox for this node); a second appears only across a restart of the peer.
        var destination = _replies[0].Destination;
        var batch = new List<ForwardedShardReply>(_replies.Count);
        var others = new List<OutgoingReply>();
        foreach (var reply in _replies)
        {
            if (reply.Destination.Equals(destination))
            {
                batch.Add(reply.Reply);
            }
            else
            {
                others.Add(reply);
            }
        }
        _replies.Clear();
        destination.Tell(new ShardReplyBatch(batch), ActorRefs.NoSender);
        _traffic.Counters.SentReplies(batch.Count);
        if (others.Count > 0)
        {
            _replies.AddRange(others);
            SendReplies();
        }
    }

    private IActorRef? ReplicaManager()
    {
        if (_peers.AddressOf(_peer) is not { } address)
        {
            return null;
        }
        if (_target is not { } target || target.Address != address)
        {
            target = (address, ((ExtendedActorSystem)Context.System).Provider.ResolveActorRef(new RootActorPath(address) / "user" / ReplicaManagerHost.Name));
            _target = target;
        }
        return target.Manager;
    }

    /// <summary>An upper bound of a request's encoded size: its keys and value plus a generous header.</summary>
    internal static long EstimatedBytes(ShardRequest request)
    {
        const long header = 128;
        return request switch
        {
            WriteRequest { Command: var command } => header + 3L * (command.Key.Length + (command.IdempotencyKey?.Length ?? 0)) + command switch
            {
                KvPut put => put.Value.Length,
                KvAppend append => append.Value.Length,
                _ => 0,
            },
            ReadRequest read => header + 3L * read.Key.Length,
            ScanRequest scan => header + 3L * scan.Prefix.Length,
            _ => header,
        };
    }

    /// <summary>An upper bound of a reply's encoded size (a scan's keys, a read's value), plus a generous header.</summary>
    internal static long EstimatedBytes(ShardReply reply)
    {
        const long header = 128;
        return reply switch
        {
            ReadReply { Value: { } value } => header + value.Value.Length,
            ScanReply scan => header + scan.Keys.Sum(key => 32L + 3L * key.Key.Length),
            _ => header,
        };
    }
}
