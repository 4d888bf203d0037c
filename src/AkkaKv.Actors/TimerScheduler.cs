namespace AkkaKv.Actors;

/// <summary>
/// Timers on the system's <see cref="TimeProvider"/>: real time in production, virtual time in deterministic mode.
/// Each (re)start bumps a generation so stale ticks already in the mailbox are recognized and dropped.
/// </summary>
internal sealed class TimerScheduler(ActorCell cell) : ITimerScheduler
{
    private readonly Dictionary<object, Entry> _timers = [];
    private int _generation;

    public void StartSingleTimer(object key, object message, TimeSpan delay) =>
        Start(key, message, delay, Timeout.InfiniteTimeSpan, periodic: false);

    public void StartPeriodicTimer(object key, object message, TimeSpan interval, TimeSpan? initialDelay = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(interval, TimeSpan.Zero);
        Start(key, message, initialDelay ?? interval, interval, periodic: true);
    }

    public bool IsTimerActive(object key) => _timers.ContainsKey(key);

    public void Cancel(object key)
    {
        if (_timers.Remove(key, out var entry))
        {
            entry.Timer.Dispose();
        }
    }

    public void CancelAll()
    {
        foreach (var entry in _timers.Values)
        {
            entry.Timer.Dispose();
        }
        _timers.Clear();
    }

    /// <summary>True when <paramref name="fired"/> is current; a single timer is then retired.</summary>
    public bool TryAccept(TimerFired fired)
    {
        if (!_timers.TryGetValue(fired.Key, out var entry) || entry.Generation != fired.Generation)
        {
            return false;
        }
        if (!entry.Periodic)
        {
            _timers.Remove(fired.Key);
            entry.Timer.Dispose();
        }
        return true;
    }

    private void Start(object key, object message, TimeSpan dueTime, TimeSpan period, bool periodic)
    {
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(message);
        ArgumentOutOfRangeException.ThrowIfLessThan(dueTime, TimeSpan.Zero);
        Cancel(key);
        var fired = new TimerFired(key, ++_generation, message);
        var self = cell.Self;
        var timer = cell.System.TimeProvider.CreateTimer(static state =>
        {
            var (target, tick) = ((IActorRef, TimerFired))state!;
            target.Tell(tick, target);
        }, (self, fired), dueTime, period);
        _timers[key] = new Entry(fired.Generation, periodic, timer);
    }

    private sealed record Entry(int Generation, bool Periodic, ITimer Timer);
}
