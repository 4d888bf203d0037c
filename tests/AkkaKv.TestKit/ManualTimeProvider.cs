namespace AkkaKv.TestKit;

/// <summary>
/// Virtual time: it moves only when <see cref="Advance"/> is called, and then fires due timers one at a time in
/// due-time order (ties in creation order), each with the clock set to its due time. Thread-safe; deterministic when
/// driven from one thread.
/// </summary>
public sealed class ManualTimeProvider : TimeProvider
{
    private readonly Lock _lock = new();
    private readonly List<ManualTimer> _timers = [];
    private DateTimeOffset _now;
    private long _timerSequence;

    /// <summary>A clock starting at <paramref name="start"/> (default 2000-01-01T00:00Z).</summary>
    public ManualTimeProvider(DateTimeOffset? start = null) =>
        _now = start ?? new DateTimeOffset(2000, 1, 1, 0, 0, 0, TimeSpan.Zero);

    public override DateTimeOffset GetUtcNow()
    {
        lock (_lock)
        {
            return _now;
        }
    }

    public override long TimestampFrequency => TimeSpan.TicksPerSecond;

    public override long GetTimestamp() => GetUtcNow().UtcTicks;

    public override TimeZoneInfo LocalTimeZone => TimeZoneInfo.Utc;

    /// <summary>The due time of the earliest armed timer, if any.</summary>
    public DateTimeOffset? NextDueTime
    {
        get
        {
            lock (_lock)
            {
                return Earliest()?.DueTime;
            }
        }
    }

    /// <summary>Number of armed timers.</summary>
    public int ActiveTimerCount
    {
        get
        {
            lock (_lock)
            {
                return _timers.Count;
            }
        }
    }

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        ArgumentNullException.ThrowIfNull(callback);
        var timer = new ManualTimer(this, callback, state);
        timer.Change(dueTime, period);
        return timer;
    }

    /// <summary>Moves the clock forward by <paramref name="delta"/>, firing every timer that falls due on the way.</summary>
    public void Advance(TimeSpan delta)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(delta, TimeSpan.Zero);
        DateTimeOffset target;
        lock (_lock)
        {
            target = _now + delta;
        }
        while (FireNextDue(target))
        {
        }
        lock (_lock)
        {
            if (_now < target)
            {
                _now = target;
            }
        }
    }

    /// <summary>Moves the clock to the earliest timer not after <paramref name="limit"/> and fires it; false if none.</summary>
    public bool FireNextDue(DateTimeOffset limit)
    {
        ManualTimer? due;
        lock (_lock)
        {
            due = Earliest();
            if (due is null || due.DueTime > limit)
            {
                return false;
            }
            if (due.DueTime > _now)
            {
                _now = due.DueTime;
            }
            due.Rearm();
        }
        due.Fire();
        return true;
    }

    private ManualTimer? Earliest()
    {
        ManualTimer? earliest = null;
        foreach (var timer in _timers)
        {
            if (earliest is null || timer.DueTime < earliest.DueTime
                || (timer.DueTime == earliest.DueTime && timer.Sequence < earliest.Sequence))
            {
                earliest = timer;
            }
        }
        return earliest;
    }

    private sealed class ManualTimer(ManualTimeProvider owner, TimerCallback callback, object? state) : ITimer
    {
        private TimeSpan _period = Timeout.InfiniteTimeSpan;

        public DateTimeOffset DueTime { get; private set; }

        public long Sequence { get; private set; }

        public bool Change(TimeSpan dueTime, TimeSpan period)
        {
            lock (owner._lock)
            {
                owner._timers.Remove(this);
                _period = period;
                if (dueTime == Timeout.InfiniteTimeSpan)
                {
                    return true;
                }
                ArgumentOutOfRangeException.ThrowIfLessThan(dueTime, TimeSpan.Zero);
                DueTime = owner._now + dueTime;
                Sequence = ++owner._timerSequence;
                owner._timers.Add(this);
                return true;
            }
        }

        /// <summary>Called under the owner's lock when this timer fires: re-arms a periodic timer, retires a single one.</summary>
        public void Rearm()
        {
            owner._timers.Remove(this);
            if (_period != Timeout.InfiniteTimeSpan && _period > TimeSpan.Zero)
            {
                DueTime += _period;
                Sequence = ++owner._timerSequence;
                owner._timers.Add(this);
            }
        }

        public void Fire() => callback(state);

        public void Dispose()
        {
            lock (owner._lock)
            {
                owner._timers.Remove(this);
            }
        }

        public ValueTask DisposeAsync()
        {
            Dispose();
            return ValueTask.CompletedTask;
        }
    }
}
