using System.Collections.Concurrent;
using Akka.Actor;
using AkkaKv.Raft;

namespace AkkaKv.Sharding.Hosting;

/// <summary>
/// Raft between nodes over Akka.Remote: a message for a peer goes to that peer's <see cref="RaftOutbox"/> (one actor
/// per peer, created on first use), which batches it with the other shards' traffic to the same node; a message for
/// this node goes straight to the local replica manager. Peers' addresses come from membership
/// (<see cref="SetPeerAddress"/>); <see cref="Send"/> is safe from any replica's thread and never blocks.
/// </summary>
public sealed class AkkaRaftTransport : IRaftTransport
{
    /// <summary>Default batch budget: far below Akka.Remote's frame limit as AkkaKv configures it.</summary>
    public const int DefaultMaxBatchBytes = 4 * 1024 * 1024;

    private readonly ActorSystem _system;
    private readonly NodeId _self;
    private readonly int _maxBatchBytes;
    private readonly ConcurrentDictionary<NodeId, Lazy<IActorRef>> _outboxes = new();
    private readonly ConcurrentDictionary<NodeId, Address?> _addresses = new();
    private IActorRef _local = ActorRefs.Nobody;

    public AkkaRaftTransport(ActorSystem system, NodeId self, int maxBatchBytes = DefaultMaxBatchBytes)
    {
        ArgumentNullException.ThrowIfNull(system);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxBatchBytes, 1024);
        (_system, _self, _maxBatchBytes) = (system, self, maxBatchBytes);
    }

    /// <summary>What the transport sent and dropped.</summary>
    public RaftTransportCounters Counters { get; } = new();

    /// <summary>The local replica manager, for messages a replica addresses to its own node.</summary>
    public void SetLocal(IActorRef replicaManager) => _local = replicaManager ?? throw new ArgumentNullException(nameof(replicaManager));

    /// <summary>Where <paramref name="node"/> is now (null: gone, its messages are dropped until it is known again).</summary>
    public void SetPeerAddress(NodeId node, Address? address)
    {
        _addresses[node] = address;
        if (node != _self)
        {
            OutboxOf(node).Tell(new RaftOutbox.PeerAddress(address));
        }
    }

    /// <summary>
    /// Test mode: holds every Raft batch this node sends to <paramref name="peer"/> for <paramref name="delay"/> before
    /// handing it to Akka.Remote, keeping their order; <see cref="TimeSpan.Zero"/> ends the delay and sends what is
    /// held at once. Only this node's outgoing Raft traffic is delayed — not what the peer sends, nor cluster gossip.
    /// </summary>
    /// <exception cref="ArgumentException"><paramref name="peer"/> is this node.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="delay"/> is negative.</exception>
    public void SetSendDelay(NodeId peer, TimeSpan delay)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(delay, TimeSpan.Zero);
        if (peer == _self)
        {
            throw new ArgumentException("this node's messages to itself are never delayed", nameof(peer));
        }
        OutboxOf(peer).Tell(new RaftOutbox.SendDelay(delay));
    }

    public void Send(ShardId shard, RaftMessage message)
    {
        ArgumentNullException.ThrowIfNull(message);
        var envelope = new RaftEnvelope(shard, message);
        if (message.To == _self)
        {
            _local.Tell(envelope);
            return;
        }
        OutboxOf(message.To).Tell(envelope);
    }

    private IActorRef OutboxOf(NodeId peer) =>
        _outboxes.GetOrAdd(peer, node => new Lazy<IActorRef>(() =>
        {
            var outbox = _system.ActorOf(RaftOutbox.Props(_self, node, _maxBatchBytes, Counters), $"raft-outbox-{node.Value}");
            if (_addresses.TryGetValue(node, out var address))
            {
                outbox.Tell(new RaftOutbox.PeerAddress(address)); // before any message from this thread
            }
            return outbox;
        })).Value;
}
