using AkkaKv.TestKit;

namespace AkkaKv.Simulation.Tests;

/// <summary>
/// One node's view of time: the shared virtual clock, but with the node's own rate (clock drift: its timers run
/// slow or fast) and with pauses (a stalled process: its timers do not fire until it resumes, then overdue ones
/// fire once). Everything stays deterministic: timers live on the shared <see cref="ManualTimeProvider"/>.
/// </summary>
internal sealed class SimClock(ManualTimeProvider shared, double rate) : TimeProvider
{
    private readonly List<PausableTimer> _deferred = [];

    /// <summary>How much slower (&gt; 1) or faster (&lt; 1) this node's timers run than real time.</summary>
    public double Rate { get; } = rate;

    public bool IsPaused { get; private set; }

    public override DateTimeOffset GetUtcNow() => shared.GetUtcNow();

    public override long TimestampFrequency => shared.TimestampFrequency;

    public override long GetTimestamp() => shared.GetTimestamp();

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        var timer = new PausableTimer(this, callback, state);
        timer.Inner = shared.CreateTimer(_ => timer.OnInnerFired(), null, Scale(dueTime), Scale(period));
        return timer;
    }

    public void Pause() => IsPaused = true;

    /// <summary>Ends a pause: every timer that came due meanwhile fires once, in creation order.</summary>
    public void Resume()
    {
        IsPaused = false;
        var due = _deferred.ToList();
        _deferred.Clear();
        foreach (var timer in due)
        {
            timer.FireNow();
        }
    }

    private TimeSpan Scale(TimeSpan span) =>
        span == Timeout.InfiniteTimeSpan ? span : TimeSpan.FromTicks((long)(span.Ticks * Rate));

    private sealed class PausableTimer(SimClock clock, TimerCallback callback, object? state) : ITimer
    {
        private bool _disposed;

        public ITimer Inner { get; set; } = null!;

        public void OnInnerFired()
        {
            if (_disposed)
            {
                return;
            }
            if (clock.IsPaused)
            {
                if (!clock._deferred.Contains(this))
                {
                    clock._deferred.Add(this);
                }
                return;
            }
            callback(state);
        }

        public void FireNow()
        {
            if (!_disposed)
            {
                callback(state);
            }
        }

        public bool Change(TimeSpan dueTime, TimeSpan period) => Inner.Change(clock.Scale(dueTime), clock.Scale(period));

        public void Dispose()
        {
            _disposed = true;
            Inner.Dispose();
        }

        public ValueTask DisposeAsync()
        {
            Dispose();
            return ValueTask.CompletedTask;
        }
    }
}
