using Microsoft.Extensions.Logging;

namespace AkkaKv.Actors;

/// <summary>
/// The base of every actor. The runtime delivers one message at a time to <see cref="Receive"/>, which must be
/// synchronous: work that waits (disk, network) is done elsewhere and its result sent back as a message
/// (<see cref="PipeToExtensions"/>). Actors are created only through <see cref="Props"/>.
/// </summary>
public abstract class Actor
{
    private readonly ActorCell _cell;

    /// <summary>Binds the new instance to the cell that is creating it.</summary>
    protected Actor()
    {
        _cell = ActorCell.Constructing
            ?? throw new InvalidOperationException(
                "An actor cannot be created with 'new'; use ActorOf(Props.Create(...)).");
    }

    /// <summary>The runtime as this actor sees it.</summary>
    protected IActorContext Context => _cell;

    /// <summary>This actor's reference.</summary>
    protected IActorRef Self => _cell.Self;

    /// <summary>The sender of the current message (dead letters when none).</summary>
    protected IActorRef Sender => _cell.Sender;

    /// <summary>Timers owned by this actor: cancelled on stop and restart, and a cancelled timer's message is never delivered.</summary>
    protected ITimerScheduler Timers => _cell.Timers;

    /// <summary>This actor's stash, for messages it cannot handle yet.</summary>
    protected IStash Stash => _cell.Stash;

    /// <summary>A logger named after this actor's type.</summary>
    protected ILogger Log => _cell.Log;

    /// <summary>How this actor supervises its children; defaults to <see cref="SupervisorStrategy.Default"/>.</summary>
    protected internal virtual SupervisorStrategy SupervisorStrategy => SupervisorStrategy.Default;

    /// <summary>Handles one message. Call <see cref="Unhandled"/> for messages this actor does not understand.</summary>
    protected internal abstract void Receive(object message);

    /// <summary>Reports a message this actor does not handle (published as <see cref="UnhandledMessage"/>).</summary>
    protected void Unhandled(object message) => _cell.OnUnhandled(message);

    /// <summary>Runs before the first message (and, by default, after a restart).</summary>
    protected internal virtual void PreStart() { }

    /// <summary>Runs after the actor and all its children have stopped.</summary>
    protected internal virtual void PostStop() { }

    /// <summary>Runs on the failed instance before a restart; by default stops the children and calls <see cref="PostStop"/>.</summary>
    protected internal virtual void PreRestart(Exception cause, object? message)
    {
        foreach (var child in Context.Children)
        {
            Context.Stop(child);
        }
        PostStop();
    }

    /// <summary>Runs on the fresh instance after a restart; by default calls <see cref="PreStart"/>.</summary>
    protected internal virtual void PostRestart(Exception cause) => PreStart();
}
