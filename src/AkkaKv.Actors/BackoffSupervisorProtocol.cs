namespace AkkaKv.Actors;

/// <summary>Asks a <see cref="BackoffSupervisor"/> for its child. Replied to with <see cref="BackoffCurrentChild"/>.</summary>
public sealed record GetBackoffChild
{
    public static readonly GetBackoffChild Instance = new();
    private GetBackoffChild() { }
}

/// <summary>The supervisor's current child, or null while it waits to restart it; and the restarts so far.</summary>
public sealed record BackoffCurrentChild(IActorRef? Child, int RestartCount);
