using AkkaKv.Actors;

namespace AkkaKv.TestKit;

/// <summary>A reference that accepts and drops everything: the sender of a probe before its first message.</summary>
internal sealed class ActorRefsNobody : IActorRef
{
    public static readonly ActorRefsNobody Instance = new();

    public ActorPath Path { get; } = ActorPath.Root(new ActorAddress("nobody"));

    public void Tell(object message, IActorRef? sender = null) { }
}
