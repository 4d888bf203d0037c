namespace AkkaKv.Actors;

/// <summary>
/// How to create an actor: a factory (run again on every restart) plus its mailbox. Immutable; share freely.
/// </summary>
public sealed record Props
{
    private Props(Func<Actor> factory, Type actorType)
    {
        Factory = factory;
        ActorType = actorType;
    }

    /// <summary>Creates a fresh instance; called on start and on every restart.</summary>
    public Func<Actor> Factory { get; }

    /// <summary>The type the factory produces, for logs.</summary>
    public Type ActorType { get; }

    /// <summary>The mailbox; null takes the system's default.</summary>
    public MailboxOptions? Mailbox { get; init; }

    /// <summary>Props whose actor <paramref name="factory"/> creates.</summary>
    public static Props Create<TActor>(Func<TActor> factory)
        where TActor : Actor
    {
        ArgumentNullException.ThrowIfNull(factory);
        return new Props(factory, typeof(TActor));
    }

    /// <summary>Props for an actor with a parameterless constructor.</summary>
    public static Props Create<TActor>()
        where TActor : Actor, new() => new(() => new TActor(), typeof(TActor));

    /// <summary>The same props with a different mailbox.</summary>
    public Props WithMailbox(MailboxOptions mailbox) => this with { Mailbox = mailbox };
}
