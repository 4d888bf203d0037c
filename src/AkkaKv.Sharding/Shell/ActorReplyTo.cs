using AkkaKv.Actors;

namespace AkkaKv.Sharding;

/// <summary>Answers a request by telling the actor that sent it (with the answering actor as the sender).</summary>
internal sealed class ActorReplyTo<TReply>(IActorRef requester, IActorRef self) : IReplyTo<TReply>
    where TReply : notnull
{
    public void Tell(TReply reply) => requester.Tell(reply, self);
}
