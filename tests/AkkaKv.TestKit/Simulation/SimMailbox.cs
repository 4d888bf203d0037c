using AkkaKv.Sharding;

namespace AkkaKv.TestKit.Simulation;

/// <summary>
/// The simulated actor of one state machine: its messages in arrival order (one at a time, as an actor's mailbox),
/// its timers on its node's clock (keyed; a cancelled or replaced timer's message is never delivered), notifications
/// to its node's sink, and pause and stop. Single-threaded: everything runs on the simulation's thread.
/// </summary>
public sealed class SimMailbox : IActorShell
{
    private readonly SimRuntime _runtime;
    private readonly Action<object> _handler;
    private readonly Action<object>? _publish;
    private readonly Queue<object> _messages = new();
    private readonly Dictionary<string, (ITimer Timer, long Generation)> _timers = [];
    private long _timerGeneration;
    private bool _scheduled;
    private bool _paused;

    internal SimMailbox(SimRuntime runtime, string name, Action<object> handler, TimeProvider clock, Action<object>? publish)
    {
        _runtime = runtime;
        _handler = handler;
        _publish = publish;
        Name = name;
        Time = clock;
    }

    /// <summary>For logs and failure messages.</summary>
    public string Name { get; }

    public TimeProvider Time { get; }

    /// <summary>True once stopped: posts are dropped, timers are gone.</summary>
    public bool IsStopped { get; private set; }

    /// <summary>Messages waiting.</summary>
    public int Pending => _messages.Count;

    /// <summary>Runs when the mailbox stops by itself (<see cref="StopSelf"/>).</summary>
    public Action? OnStoppedSelf { get; set; }

    internal bool CanRun => !IsStopped && !_paused && _messages.Count > 0;

    public void Post(object message)
    {
        ArgumentNullException.ThrowIfNull(message);
        if (IsStopped)
        {
            return; // a dead letter
        }
        _messages.Enqueue(message);
        Schedule();
    }

    public void StartPeriodicTimer(string key, object message, TimeSpan interval) => StartTimer(key, message, interval, interval);

    public void StartSingleTimer(string key, object message, TimeSpan delay) => StartTimer(key, message, delay, Timeout.InfiniteTimeSpan);

    public void CancelTimer(string key)
    {
        if (_timers.Remove(key, out var entry))
        {
            entry.Timer.Dispose();
        }
    }

    public void Publish(object notification) => _publish?.Invoke(notification);

    public void StopSelf()
    {
        Stop();
        OnStoppedSelf?.Invoke();
    }

    /// <summary>Stops the mailbox: queued messages and timers are dropped, later posts too.</summary>
    public void Stop()
    {
        IsStopped = true;
        _messages.Clear();
        foreach (var (timer, _) in _timers.Values)
        {
            timer.Dispose();
        }
        _timers.Clear();
    }

    /// <summary>Holds every message (a frozen process) until <see cref="Resume"/>.</summary>
    public void Pause() => _paused = true;

    /// <summary>Processes the held messages again, in the order they arrived.</summary>
    public void Resume()
    {
        _paused = false;
        Schedule();
    }

    /// <summary>Processes the next message; false when none is left.</summary>
    internal bool ProcessOne()
    {
        if (!_messages.TryDequeue(out var message))
        {
            return false;
        }
        if (message is TimerMessage timer)
        {
            if (!_timers.TryGetValue(timer.Key, out var entry) || entry.Generation != timer.Generation)
            {
                return _messages.Count > 0; // cancelled or replaced after it was due
            }
            if (timer.Single)
            {
                _timers.Remove(timer.Key);
            }
            message = timer.Message;
        }
        _handler(message);
        return _messages.Count > 0;
    }

    internal void Unscheduled() => _scheduled = false;

    private void Schedule()
    {
        if (!_scheduled && CanRun)
        {
            _scheduled = true;
            _runtime.MarkRunnable(this);
        }
    }

    private void StartTimer(string key, object message, TimeSpan due, TimeSpan period)
    {
        CancelTimer(key);
        if (IsStopped)
        {
            return;
        }
        var generation = ++_timerGeneration;
        var tick = new TimerMessage(key, generation, message, period == Timeout.InfiniteTimeSpan);
        var timer = Time.CreateTimer(_ => Post(tick), null, due, period);
        _timers[key] = (timer, generation);
    }

    public override string ToString() => Name;

    private sealed record TimerMessage(string Key, long Generation, object Message, bool Single);
}
