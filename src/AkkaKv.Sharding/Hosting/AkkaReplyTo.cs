using Akka.Actor;

namespace AkkaKv.Sharding.Hosting;

/// <summary>A reply addressed to an Akka.NET actor (a sender or an ask's temporary actor), sent as from <paramref name="self"/>.</summary>
internal sealed class AkkaReplyTo<TReply>(IActorRef recipient, IActorRef self) : IReplyTo<TReply>
{
    public void Tell(TReply reply) => recipient.Tell(reply, self);
}
