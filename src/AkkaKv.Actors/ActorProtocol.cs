namespace AkkaKv.Actors;

/// <summary>Stops the receiving actor once the messages before it are processed. No reply.</summary>
public sealed record PoisonPill
{
    public static readonly PoisonPill Instance = new();
    private PoisonPill() { }
}

/// <summary>Makes the receiving actor fail with <see cref="ActorKilledException"/>; its supervisor decides (by default: stop).</summary>
public sealed record Kill
{
    public static readonly Kill Instance = new();
    private Kill() { }
}

/// <summary>Delivered to a watcher when <paramref name="Actor"/> has stopped (see <c>Context.Watch</c>).</summary>
public sealed record Terminated(IActorRef Actor);

/// <summary>The outcome of an operation, piped back to an actor as a message.</summary>
public abstract record Status
{
    private protected Status() { }

    /// <summary>The operation succeeded with <paramref name="Value"/>.</summary>
    public sealed record Success(object? Value) : Status;

    /// <summary>The operation failed with <paramref name="Cause"/>; an ask receiving this fails with that exception.</summary>
    public sealed record Failure(Exception Cause) : Status;
}

/// <summary>Published on the event stream when a message could not be delivered.</summary>
public sealed record DeadLetter(object Message, IActorRef? Sender, IActorRef Recipient);

/// <summary>Published on the event stream when an actor did not handle a message.</summary>
public sealed record UnhandledMessage(object Message, IActorRef? Sender, IActorRef Recipient);
