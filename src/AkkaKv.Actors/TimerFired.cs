namespace AkkaKv.Actors;

/// <summary>A timer's tick in the mailbox; delivered only if its key still holds the same generation.</summary>
internal sealed record TimerFired(object Key, int Generation, object Message);
