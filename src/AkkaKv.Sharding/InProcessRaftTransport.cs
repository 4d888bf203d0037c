using System.Collections.Concurrent;
using AkkaKv.Actors;
using AkkaKv.Raft;

namespace AkkaKv.Sharding;

/// <summary>
/// Connects Raft groups living in one process (one node's shards, or the replicas of an in-process test cluster):
/// a send is a <c>Tell</c> of a <see cref="RaftEnvelope"/> to the registered replica. <see cref="Filter"/> lets
/// tests cut links or drop messages.
/// </summary>
public sealed class InProcessRaftTransport : IRaftTransport
{
    private readonly ConcurrentDictionary<(NodeId Node, ShardId Shard), IActorRef> _replicas = new();

    /// <summary>When set, a message is delivered only if this returns true (fault injection for tests).</summary>
    public Func<ShardId, RaftMessage, bool>? Filter { get; set; }

    /// <summary>Messages dropped because no replica was registered or the filter refused them.</summary>
    public long Dropped => Interlocked.Read(ref _dropped);

    private long _dropped;

    /// <summary>Makes <paramref name="replica"/> reachable as <paramref name="node"/>'s replica of <paramref name="shard"/>.</summary>
    public void Register(NodeId node, ShardId shard, IActorRef replica) => _replicas[(node, shard)] = replica;

    /// <summary>Removes a registration (the replica stopped or crashed).</summary>
    public void Unregister(NodeId node, ShardId shard) => _replicas.TryRemove((node, shard), out _);

    public void Send(ShardId shard, RaftMessage message)
    {
        ArgumentNullException.ThrowIfNull(message);
        if (Filter is { } filter && !filter(shard, message) || !_replicas.TryGetValue((message.To, shard), out var replica))
        {
            Interlocked.Increment(ref _dropped);
            return;
        }
        replica.Tell(new RaftEnvelope(shard, message));
    }
}
