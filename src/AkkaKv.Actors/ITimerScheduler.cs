namespace AkkaKv.Actors;

/// <summary>
/// An actor's timers, addressed by key. Starting a timer under a key replaces the one there; a cancelled or replaced
/// timer's message is never delivered, even if it was already queued. All timers stop with the actor or its restart.
/// </summary>
public interface ITimerScheduler
{
    /// <summary>Sends <paramref name="message"/> to this actor once, after <paramref name="delay"/>.</summary>
    void StartSingleTimer(object key, object message, TimeSpan delay);

    /// <summary>Sends <paramref name="message"/> every <paramref name="interval"/>, first after <paramref name="initialDelay"/> (default: one interval).</summary>
    void StartPeriodicTimer(object key, object message, TimeSpan interval, TimeSpan? initialDelay = null);

    /// <summary>True while the timer under <paramref name="key"/> may still deliver.</summary>
    bool IsTimerActive(object key);

    /// <summary>Cancels the timer under <paramref name="key"/>, if any.</summary>
    void Cancel(object key);

    /// <summary>Cancels every timer of this actor.</summary>
    void CancelAll();
}
