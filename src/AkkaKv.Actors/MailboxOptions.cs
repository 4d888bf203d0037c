namespace AkkaKv.Actors;

/// <summary>The shape of an actor's mailbox.</summary>
public sealed record MailboxOptions
{
    /// <summary>An unbounded mailbox: the default; senders are never refused.</summary>
    public static readonly MailboxOptions Unbounded = new();

    /// <summary>Maximum queued user messages, or null for unbounded. System messages are never bounded.</summary>
    public int? Capacity { get; init; }

    /// <summary>What happens to a message that finds a bounded mailbox full.</summary>
    public MailboxOverflow Overflow { get; init; } = MailboxOverflow.DropNewest;

    /// <summary>A bounded mailbox of <paramref name="capacity"/> messages.</summary>
    public static MailboxOptions Bounded(int capacity, MailboxOverflow overflow = MailboxOverflow.DropNewest)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        return new MailboxOptions { Capacity = capacity, Overflow = overflow };
    }
}
