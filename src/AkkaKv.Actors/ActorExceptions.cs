namespace AkkaKv.Actors;

/// <summary>Thrown inside an actor that received <see cref="Kill"/>.</summary>
public sealed class ActorKilledException : Exception
{
    public ActorKilledException() : base("Kill") { }
    public ActorKilledException(string message) : base(message) { }
    public ActorKilledException(string message, Exception innerException) : base(message, innerException) { }
}

/// <summary>An actor's constructor or <c>PreStart</c> failed; by default its supervisor stops it.</summary>
public sealed class ActorInitializationException : Exception
{
    public ActorInitializationException() { }
    public ActorInitializationException(string message) : base(message) { }
    public ActorInitializationException(string message, Exception innerException) : base(message, innerException) { }
}

/// <summary>A child name was empty, malformed, or already taken by a live sibling.</summary>
public sealed class InvalidActorNameException : Exception
{
    public InvalidActorNameException() { }
    public InvalidActorNameException(string message) : base(message) { }
    public InvalidActorNameException(string message, Exception innerException) : base(message, innerException) { }
}

/// <summary>An ask got no reply within its timeout.</summary>
public sealed class AskTimeoutException : TimeoutException
{
    public AskTimeoutException() { }
    public AskTimeoutException(string message) : base(message) { }
    public AskTimeoutException(string message, Exception innerException) : base(message, innerException) { }
}

/// <summary>More messages were stashed than the stash capacity allows.</summary>
public sealed class StashOverflowException : Exception
{
    public StashOverflowException() { }
    public StashOverflowException(string message) : base(message) { }
    public StashOverflowException(string message, Exception innerException) : base(message, innerException) { }
}
