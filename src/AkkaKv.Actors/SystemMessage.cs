namespace AkkaKv.Actors;

/// <summary>
/// The runtime's own messages to a cell. They travel in a separate queue and are processed before user messages,
/// even while the actor is suspended after a failure.
/// </summary>
internal abstract record SystemMessage
{
    private protected SystemMessage() { }
}

/// <summary>Create the actor instance and run <c>PreStart</c>; always the first system message of a cell.</summary>
internal sealed record CreateActor : SystemMessage
{
    public static readonly CreateActor Instance = new();
}

/// <summary>To a parent: <paramref name="Child"/> threw <paramref name="Cause"/> and is suspended until the parent decides.</summary>
internal sealed record ChildFailed(IActorRef Child, Exception Cause) : SystemMessage;

/// <summary>From the parent: go on with the next message (the failing one is dropped).</summary>
internal sealed record ResumeActor : SystemMessage
{
    public static readonly ResumeActor Instance = new();
}

/// <summary>From the parent: replace the actor instance, keeping the mailbox.</summary>
internal sealed record RestartActor(Exception Cause) : SystemMessage;

/// <summary>Stop: children first, then <c>PostStop</c>, then notify watchers and the parent.</summary>
internal sealed record TerminateActor : SystemMessage
{
    public static readonly TerminateActor Instance = new();
}

/// <summary>To a parent: <paramref name="Child"/> has finished stopping.</summary>
internal sealed record ChildTerminated(IActorRef Child) : SystemMessage;

/// <summary>To <paramref name="Watchee"/>: tell <paramref name="Watcher"/> when you stop.</summary>
internal sealed record WatchActor(IActorRef Watchee, IActorRef Watcher) : SystemMessage;

/// <summary>To <paramref name="Watchee"/>: <paramref name="Watcher"/> is no longer interested.</summary>
internal sealed record UnwatchActor(IActorRef Watchee, IActorRef Watcher) : SystemMessage;

/// <summary>To a watcher: <paramref name="Actor"/> has stopped.</summary>
internal sealed record DeathWatchNotification(IActorRef Actor) : SystemMessage;
