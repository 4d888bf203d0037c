namespace AkkaKv.Actors;

/// <summary>The reference to an actor of this process: sending enqueues into its mailbox.</summary>
internal sealed class LocalActorRef : IInternalActorRef
{
    internal LocalActorRef(ActorCell cell, ActorPath path)
    {
        Cell = cell;
        Path = path;
    }

    public ActorPath Path { get; }

    internal ActorCell Cell { get; }

    public void Tell(object message, IActorRef? sender = null)
    {
        ArgumentNullException.ThrowIfNull(message);
        Cell.Mailbox.Post(new Envelope(message, sender));
    }

    public void SendSystemMessage(SystemMessage message) => Cell.Mailbox.PostSystem(message);

    public override string ToString() => Path.ToString();
}
