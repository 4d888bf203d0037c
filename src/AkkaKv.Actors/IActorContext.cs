using Microsoft.Extensions.Logging;

namespace AkkaKv.Actors;

/// <summary>What an actor sees of the runtime while it handles a message. Valid only on the actor's own turn.</summary>
public interface IActorContext
{
    /// <summary>This actor's own reference.</summary>
    IActorRef Self { get; }

    /// <summary>The sender of the current message, or dead letters when there is none.</summary>
    IActorRef Sender { get; }

    /// <summary>The supervising parent.</summary>
    IActorRef Parent { get; }

    /// <summary>The live children, in creation order.</summary>
    IReadOnlyList<IActorRef> Children { get; }

    /// <summary>The system this actor belongs to.</summary>
    ActorSystem System { get; }

    /// <summary>A logger named after the actor's type.</summary>
    ILogger Log { get; }

    /// <summary>This actor's own random source, seeded from the system's (reproducible in deterministic mode).</summary>
    Random Random { get; }

    /// <summary>Starts a child; throws <see cref="InvalidActorNameException"/> if the name is taken or malformed.</summary>
    IActorRef ActorOf(Props props, string? name = null);

    /// <summary>The live child named <paramref name="name"/>, if any.</summary>
    IActorRef? Child(string name);

    /// <summary>Stops <paramref name="actor"/> (a child or this actor itself) after its current message.</summary>
    void Stop(IActorRef actor);

    /// <summary>Delivers <see cref="Terminated"/> to this actor when <paramref name="actor"/> stops (at once if it already has).</summary>
    IActorRef Watch(IActorRef actor);

    /// <summary>Cancels a <see cref="Watch"/>; a <see cref="Terminated"/> already queued is still delivered.</summary>
    IActorRef Unwatch(IActorRef actor);

    /// <summary>Handles the next messages with <paramref name="behavior"/>; with <paramref name="discardOld"/> false it is pushed on a stack.</summary>
    void Become(Action<object> behavior, bool discardOld = true);

    /// <summary>Returns to the previous behavior on the stack (never below the actor's <c>Receive</c>).</summary>
    void Unbecome();
}
