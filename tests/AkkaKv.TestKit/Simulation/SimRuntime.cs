namespace AkkaKv.TestKit.Simulation;

/// <summary>
/// The deterministic simulation's scheduler: the plain state machines that production hosts in Akka.NET actors
/// (replicas, replica managers, the placement coordinator) each get a <see cref="SimMailbox"/>, and this runs them on
/// the calling thread — one message at a time, the next mailbox drawn from a seeded random source among those with
/// work — on one virtual clock whose timers fire in order. Nothing reads the real clock or the thread pool, so the
/// same seed replays the same run; another seed explores another interleaving.
/// </summary>
public sealed class SimRuntime
{
    private readonly List<SimMailbox> _runnable = [];
    private readonly Random _random;

    /// <summary>A runtime drawing its scheduling choices from <paramref name="seed"/>.</summary>
    public SimRuntime(int seed)
    {
        _random = new Random(seed);
        Time = new ManualTimeProvider();
    }

    /// <summary>The virtual clock of every mailbox, timer and ask.</summary>
    public ManualTimeProvider Time { get; }

    /// <summary>Messages processed so far.</summary>
    public long Steps { get; private set; }

    /// <summary>A mailbox for a state machine whose messages go to <paramref name="handler"/>; timers run on <paramref name="clock"/> (default: the shared clock).</summary>
    public SimMailbox CreateMailbox(string name, Action<object> handler, TimeProvider? clock = null, Action<object>? publish = null) =>
        new(this, name, handler, clock ?? Time, publish);

    internal void MarkRunnable(SimMailbox mailbox) => _runnable.Add(mailbox);

    /// <summary>Processes messages until no mailbox that is not paused has any; virtual time does not move.</summary>
    /// <exception cref="InvalidOperationException">More than <paramref name="maxSteps"/> messages: state machines that never go quiet.</exception>
    public void RunUntilIdle(int maxSteps = 10_000_000)
    {
        var steps = 0;
        while (RunOne())
        {
            if (++steps > maxSteps)
            {
                throw new InvalidOperationException($"The simulation did not go idle within {maxSteps} messages.");
            }
        }
    }

    /// <summary>Moves virtual time forward by <paramref name="delta"/>, running to idle after each timer that fires.</summary>
    public void Advance(TimeSpan delta)
    {
        var target = Time.GetUtcNow() + delta;
        RunUntilIdle();
        while (Time.FireNextDue(target))
        {
            RunUntilIdle();
        }
        var remaining = target - Time.GetUtcNow();
        if (remaining > TimeSpan.Zero)
        {
            Time.Advance(remaining);
        }
    }

    /// <summary>Runs and fires timers in order until <paramref name="condition"/> holds or <paramref name="timeout"/> of virtual time passed.</summary>
    public bool RunUntil(Func<bool> condition, TimeSpan timeout)
    {
        ArgumentNullException.ThrowIfNull(condition);
        var deadline = Time.GetUtcNow() + timeout;
        while (true)
        {
            RunUntilIdle();
            if (condition())
            {
                return true;
            }
            // The condition may have posted work (e.g. started a state machine): run it before time moves.
            var before = Steps;
            RunUntilIdle();
            if (Steps != before)
            {
                continue;
            }
            if (!Time.FireNextDue(deadline))
            {
                var remaining = deadline - Time.GetUtcNow();
                if (remaining > TimeSpan.Zero)
                {
                    Time.Advance(remaining);
                }
                RunUntilIdle();
                return condition();
            }
        }
    }

    /// <summary>Processes one message of a randomly chosen mailbox with work; false when there is none.</summary>
    private bool RunOne()
    {
        while (_runnable.Count > 0)
        {
            var index = _random.Next(_runnable.Count);
            var mailbox = _runnable[index];
            if (!mailbox.CanRun)
            {
                // Paused, stopped or drained: it registers again when it has work it may do.
                _runnable[index] = _runnable[^1];
                _runnable.RemoveAt(_runnable.Count - 1);
                mailbox.Unscheduled();
                continue;
            }
            Steps++;
            if (!mailbox.ProcessOne())
            {
                _runnable[index] = _runnable[^1];
                _runnable.RemoveAt(_runnable.Count - 1);
                mailbox.Unscheduled();
            }
            return true;
        }
        return false;
    }
}
