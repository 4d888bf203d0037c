using Akka.Actor;
using AkkaKv.Sharding.Remoting;

namespace AkkaKv.Sharding.Hosting;

/// <summary>
/// The answer to a request another node forwarded in a <see cref="ShardRequestBatch"/>: queued on this node's outbox
/// for that node, which batches it back to <paramref name="destination"/> (the asking outbox) under the request's id;
/// without a <see cref="ShardTraffic"/> it goes alone. A reply that has no wire form is answered as an unknown outcome
/// rather than lost with the batch it would spoil.
/// </summary>
internal sealed class ForwardedReplyTo(ShardTraffic? traffic, NodeId origin, IActorRef destination, long id) : IReplyTo<ShardReply>
{
    public void Tell(ShardReply reply)
    {
        var sendable = ShardTrafficCodec.CanSend(reply) ? reply : new OutcomeUnknown($"the replica's {reply.GetType().Name} answer cannot leave its node");
        var forwarded = new ForwardedShardReply(id, sendable);
        if (traffic is null)
        {
            destination.Tell(new ShardReplyBatch([forwarded]), ActorRefs.NoSender);
        }
        else
        {
            traffic.Reply(origin, destination, forwarded);
        }
    }
}
