namespace AkkaKv.Sharding;

/// <summary>
/// What a plain state machine of this assembly (a shard replica, a node's replica manager, the placement coordinator)
/// may ask of the actor that hosts it, besides answering requests: a message to itself later, timers, notifications,
/// its own stop. An Akka.NET actor implements it in production; the deterministic simulation implements it on its
/// seeded virtual-time queue, so the same logic runs in both. Only <see cref="Post"/> may be called from another
/// thread (a journal callback, a task continuation); everything else only on the state machine's own turn.
/// </summary>
public interface IActorShell
{
    /// <summary>The clock timers and time stamps are measured on.</summary>
    TimeProvider Time { get; }

    /// <summary>Delivers <paramref name="message"/> to the state machine on a later turn of its own (thread-safe).</summary>
    void Post(object message);

    /// <summary>Posts <paramref name="message"/> every <paramref name="interval"/>; a timer started under a used key replaces it.</summary>
    void StartPeriodicTimer(string key, object message, TimeSpan interval);

    /// <summary>Posts <paramref name="message"/> once, after <paramref name="delay"/>; a timer started under a used key replaces it.</summary>
    void StartSingleTimer(string key, object message, TimeSpan delay);

    /// <summary>Cancels the timer under <paramref name="key"/>: its message is not delivered, even if it was due.</summary>
    void CancelTimer(string key);

    /// <summary>Publishes <paramref name="notification"/> to the node's subscribers (its event stream).</summary>
    void Publish(object notification);

    /// <summary>Stops the hosting actor after the current message.</summary>
    void StopSelf();
}
