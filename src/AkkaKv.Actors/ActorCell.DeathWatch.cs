namespace AkkaKv.Actors;

/// <summary>Death watch: who this actor watches, who watches it, and turning notifications into <see cref="Terminated"/>.</summary>
internal sealed partial class ActorCell
{
    public IActorRef Watch(IActorRef actor)
    {
        ArgumentNullException.ThrowIfNull(actor);
        if (ReferenceEquals(actor, Self) || _watching.Contains(actor))
        {
            return actor;
        }
        _watching.Add(actor);
        if (actor is IInternalActorRef internalRef)
        {
            internalRef.SendSystemMessage(new WatchActor(actor, Self));
        }
        else
        {
            // Nothing can report the death of a reference the runtime does not manage: treat it as gone.
            SelfRef.SendSystemMessage(new DeathWatchNotification(actor));
        }
        return actor;
    }

    public IActorRef Unwatch(IActorRef actor)
    {
        ArgumentNullException.ThrowIfNull(actor);
        if (_watching.Remove(actor) && actor is IInternalActorRef internalRef)
        {
            internalRef.SendSystemMessage(new UnwatchActor(actor, Self));
        }
        return actor;
    }

    private void OnWatch(WatchActor watch)
    {
        if (!_watchers.Contains(watch.Watcher))
        {
            _watchers.Add(watch.Watcher);
        }
    }

    private void OnDeathWatchNotification(IActorRef actor)
    {
        // A child's end is reported by ChildTerminated; either path delivers Terminated once.
        if (_watching.Remove(actor))
        {
            Self.Tell(new Terminated(actor), actor);
        }
    }
}
