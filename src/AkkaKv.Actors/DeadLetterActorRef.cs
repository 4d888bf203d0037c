namespace AkkaKv.Actors;

/// <summary>Where undeliverable messages go: counted, logged (up to a limit) and published as <see cref="DeadLetter"/>.</summary>
internal sealed class DeadLetterActorRef(ActorSystem system, ActorPath path) : IInternalActorRef
{
    public ActorPath Path { get; } = path;

    public void Tell(object message, IActorRef? sender = null)
    {
        ArgumentNullException.ThrowIfNull(message);
        system.PublishDeadLetter(message as DeadLetter ?? new DeadLetter(message, sender, this));
    }

    public void SendSystemMessage(SystemMessage message)
    {
        if (message is WatchActor watch && watch.Watcher is IInternalActorRef watcher)
        {
            watcher.SendSystemMessage(new DeathWatchNotification(this));
        }
    }

    public override string ToString() => Path.ToString();
}
