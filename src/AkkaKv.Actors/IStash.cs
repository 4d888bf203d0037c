namespace AkkaKv.Actors;

/// <summary>
/// Holds messages an actor cannot handle in its current behavior. <see cref="UnstashAll"/> puts them back ahead of
/// the mailbox, in their original order. Bounded by <c>akkakv.actor.stash-capacity</c>.
/// </summary>
public interface IStash
{
    /// <summary>Number of stashed messages.</summary>
    int Count { get; }

    /// <summary>Stashes the current message with its sender; throws <see cref="StashOverflowException"/> when full.</summary>
    void Stash();

    /// <summary>Returns every stashed message to the front of the mailbox.</summary>
    void UnstashAll();
}
