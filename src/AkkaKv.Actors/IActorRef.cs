namespace AkkaKv.Actors;

/// <summary>
/// A handle to an actor: the only way to reach it. Sending never blocks and never throws; a message to an actor
/// that has stopped goes to dead letters.
/// </summary>
public interface IActorRef
{
    /// <summary>Where the actor lives, unique among live actors.</summary>
    ActorPath Path { get; }

    /// <summary>Enqueues <paramref name="message"/>; the receiver sees <paramref name="sender"/> as its sender.</summary>
    void Tell(object message, IActorRef? sender = null);
}
