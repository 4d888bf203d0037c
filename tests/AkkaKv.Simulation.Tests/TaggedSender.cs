using AkkaKv.Actors;

namespace AkkaKv.Simulation.Tests;

/// <summary>
/// A sender that tags whatever is told to it with the request it answers (<paramref name="tag"/> wraps the reply) and
/// hands it to <paramref name="inbox"/>: one per request, so replies need no correlation ids of their own.
/// </summary>
internal sealed class TaggedSender(IActorRef inbox, long requestId, Func<long, object, object> tag) : IActorRef
{
    public ActorPath Path => inbox.Path;

    public void Tell(object message, IActorRef? sender = null) => inbox.Tell(tag(requestId, message), sender);

    public override string ToString() => $"{inbox.Path}#{requestId}";
}
