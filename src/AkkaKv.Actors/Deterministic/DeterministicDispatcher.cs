namespace AkkaKv.Actors.Deterministic;

/// <summary>
/// Runs mailboxes on the calling thread, one turn at a time, choosing the next runnable mailbox with a seeded
/// random source. The same seed and the same inputs give the same interleaving; another seed explores another one.
/// </summary>
public sealed class DeterministicDispatcher : IDispatcher
{
    private readonly Lock _lock = new();
    private readonly List<IThreadPoolWorkItem> _runnable = [];
    private readonly Random _random;

    /// <summary>A dispatcher drawing its choices from <paramref name="random"/>.</summary>
    /// <param name="random">The seeded source of scheduling choices.</param>
    /// <param name="throughput">Messages per turn; 1 (the default) interleaves actors the most.</param>
    public DeterministicDispatcher(Random random, int throughput = 1)
    {
        ArgumentNullException.ThrowIfNull(random);
        ArgumentOutOfRangeException.ThrowIfLessThan(throughput, 1);
        _random = random;
        Throughput = throughput;
    }

    public int Throughput { get; }

    /// <summary>Mailboxes waiting for a turn.</summary>
    public int PendingCount
    {
        get
        {
            lock (_lock)
            {
                return _runnable.Count;
            }
        }
    }

    /// <summary>Total turns run so far.</summary>
    public long Steps { get; private set; }

    public void Schedule(IThreadPoolWorkItem work)
    {
        ArgumentNullException.ThrowIfNull(work);
        lock (_lock)
        {
            _runnable.Add(work);
        }
    }

    /// <summary>Runs one turn of a randomly chosen runnable mailbox; false when none is runnable.</summary>
    public bool RunOne()
    {
        IThreadPoolWorkItem work;
        lock (_lock)
        {
            if (_runnable.Count == 0)
            {
                return false;
            }
            var index = _random.Next(_runnable.Count);
            work = _runnable[index];
            _runnable[index] = _runnable[^1];
            _runnable.RemoveAt(_runnable.Count - 1);
        }
        Steps++;
        work.Execute();
        return true;
    }

    /// <summary>Runs turns until nothing is runnable; returns how many ran.</summary>
    /// <exception cref="InvalidOperationException">More than <paramref name="maxSteps"/> turns: actors that never go quiet.</exception>
    public int RunUntilIdle(int maxSteps = 10_000_000)
    {
        var steps = 0;
        while (RunOne())
        {
            if (++steps > maxSteps)
            {
                throw new InvalidOperationException($"Actors did not go idle within {maxSteps} turns.");
            }
        }
        return steps;
    }
}
