namespace AkkaKv.Actors;

/// <summary>What a bounded mailbox does with a message that arrives while it is full.</summary>
public enum MailboxOverflow
{
    /// <summary>The arriving message goes to dead letters (counted and logged); the queue is unchanged.</summary>
    DropNewest,

    /// <summary>The oldest queued message goes to dead letters to make room for the arriving one.</summary>
    DropOldest,
}
