namespace AkkaKv.Actors;

/// <summary>
/// A typed view of an <see cref="IActorRef"/> that accepts only <typeparamref name="TMessage"/>: protocols name
/// their reply-to as <c>ActorRef&lt;TReply&gt;</c> so a wrong reply type is a compile error.
/// </summary>
public readonly record struct ActorRef<TMessage>(IActorRef Ref)
    where TMessage : notnull
{
    /// <summary>Sends <paramref name="message"/> with an optional sender.</summary>
    public void Tell(TMessage message, IActorRef? sender = null) => Ref.Tell(message, sender);

    public override string ToString() => Ref.Path.ToString();
}
