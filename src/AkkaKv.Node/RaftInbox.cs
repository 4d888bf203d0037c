using AkkaKv.Actors;
using AkkaKv.Raft;
using AkkaKv.Sharding;

namespace AkkaKv.Node;

/// <summary>Hands Raft messages arriving from peers to the node's replica manager, once it runs (the transport starts first).</summary>
internal sealed class RaftInbox
{
    private volatile IActorRef? _replicas;

    public void Attach(IActorRef replicas) => _replicas = replicas;

    public void Deliver(ShardId shard, RaftMessage message) => _replicas?.Tell(new RaftEnvelope(shard, message));
}
