using System.Collections.Concurrent;
using Akka.Actor;
using AkkaKv.Raft;

namespace AkkaKv.Sharding.Hosting;

/// <summary>
/// Connects Raft groups living in one actor system (the replicas of an in-process test cluster or benchmark): a send
/// is a <c>Tell</c> of a <see cref="RaftEnvelope"/> to the <see cref="ShardReplicaHost"/> (or
/// <see cref="ReplicaManagerHost"/>) registered for the receiving node and shard. <see cref="Filter"/> lets tests cut
/// links or drop messages. Safe to call from any replica's thread; a send never blocks.
/// </summary>
public sealed class InProcessRaftTransport : IRaftTransport
{
    private readonly ConcurrentDictionary<(NodeId Node, ShardId Shard), IActorRef> _replicas = new();
    private long _dropped;

    /// <summary>When set, a message is delivered only if this returns true (fault injection for tests); called on the sender's thread.</summary>
    public Func<ShardId, RaftMessage, bool>? Filter { get; set; }

    /// <summary>Messages dropped because no replica was registered or the filter refused them.</summary>
    public long Dropped => Interlocked.Read(ref _dropped);

    /// <summary>Makes <paramref name="replica"/> reachable as <paramref name="node"/>'s replica of <paramref name="shard"/>.</summary>
    public void Register(NodeId node, ShardId shard, IActorRef replica)
    {
        ArgumentNullException.ThrowIfNull(replica);
        _replicas[(node, shard)] = replica;
    }

    /// <summary>Removes a registration (the replica stopped or crashed): its messages are dropped from now on.</summary>
    public void Unregister(NodeId node, ShardId shard) => _replicas.TryRemove((node, shard), out _);

    public void Send(ShardId shard, RaftMessage message)
    {
        ArgumentNullException.ThrowIfNull(message);
        if (Filter is { } filter && !filter(shard, message) || !_replicas.TryGetValue((message.To, shard), out var replica))
        {
            Interlocked.Increment(ref _dropped);
            return;
        }
        // No sender: a replica learns who sent a Raft message from the message itself, never from the envelope.
        replica.Tell(new RaftEnvelope(shard, message), ActorRefs.NoSender);
    }
}
