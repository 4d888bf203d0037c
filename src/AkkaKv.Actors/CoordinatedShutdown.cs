using Microsoft.Extensions.Logging;

namespace AkkaKv.Actors;

/// <summary>
/// Shuts a node down in named phases, in order, as Akka does: tasks of one phase run concurrently; the next phase
/// starts when they all finish or the phase times out (logged). The last phase stops every actor. Running it twice
/// returns the same task.
/// </summary>
public sealed class CoordinatedShutdown
{
    /// <summary>The phases, in the order they run.</summary>
    public static readonly IReadOnlyList<string> Phases =
    [
        "before-service-unbind",
        "service-unbind",
        "service-requests-done",
        "service-stop",
        "before-cluster-shutdown",
        "cluster-sharding-shutdown-region",
        "cluster-leave",
        "cluster-exiting",
        "cluster-exiting-done",
        "cluster-shutdown",
        "before-actor-system-terminate",
        "actor-system-terminate",
    ];

    private readonly ActorSystem _system;
    private readonly ILogger _log;
    private readonly Lock _lock = new();
    private readonly Dictionary<string, List<(string Name, Func<CancellationToken, Task> Task)>> _tasks = [];
    private Task? _run;

    internal CoordinatedShutdown(ActorSystem system)
    {
        _system = system;
        _log = system.LoggerFactory.CreateLogger<CoordinatedShutdown>();
    }

    /// <summary>Why the shutdown runs, once it has started.</summary>
    public ShutdownReason? Reason { get; private set; }

    /// <summary>Adds a task to <paramref name="phase"/>; it gets a token cancelled when the phase times out.</summary>
    public void AddTask(string phase, string taskName, Func<CancellationToken, Task> task)
    {
        ArgumentNullException.ThrowIfNull(task);
        if (!Phases.Contains(phase))
        {
            throw new ArgumentException($"Unknown shutdown phase '{phase}'. Known: {string.Join(", ", Phases)}.", nameof(phase));
        }
        lock (_lock)
        {
            if (_run is not null)
            {
                throw new InvalidOperationException("Coordinated shutdown has already started.");
            }
            if (!_tasks.TryGetValue(phase, out var list))
            {
                _tasks[phase] = list = [];
            }
            list.Add((taskName, task));
        }
    }

    /// <summary>Runs every phase; completes when the actor system has terminated.</summary>
    public Task Run(ShutdownReason reason)
    {
        lock (_lock)
        {
            if (_run is null)
            {
                Reason = reason;
                _run = RunPhases(reason);
            }
            return _run;
        }
    }

    private async Task RunPhases(ShutdownReason reason)
    {
        _log.ShutdownStarted(_system.Name, reason.Description);
        foreach (var phase in Phases)
        {
            List<(string Name, Func<CancellationToken, Task> Task)> tasks;
            lock (_lock)
            {
                tasks = _tasks.TryGetValue(phase, out var list) ? [.. list] : [];
            }
            if (phase == Phases[^1])
            {
                tasks.Add(("stop-actors", _ => _system.StopActors()));
            }
            if (tasks.Count > 0)
            {
                await RunPhase(phase, tasks).ConfigureAwait(false);
            }
        }
    }

    private async Task RunPhase(string phase, List<(string Name, Func<CancellationToken, Task> Task)> tasks)
    {
        using var timeout = new CancellationTokenSource(_system.Options.ShutdownPhaseTimeout, _system.TimeProvider);
        var running = tasks.Select(task => RunTask(phase, task.Name, task.Task, timeout.Token)).ToList();
        var all = Task.WhenAll(running);
        await Task.WhenAny(all, Task.Delay(Timeout.InfiniteTimeSpan, timeout.Token)
            .ContinueWith(static _ => { }, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default))
            .ConfigureAwait(false);
        if (timeout.IsCancellationRequested)
        {
            _log.ShutdownPhaseTimedOut(phase, _system.Options.ShutdownPhaseTimeout);
        }
    }

    private async Task RunTask(string phase, string name, Func<CancellationToken, Task> task, CancellationToken token)
    {
        try
        {
            await task(token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (token.IsCancellationRequested)
        {
            // The phase timed out and cancelled its tasks: reported once for the phase.
        }
        catch (Exception exception) when (exception is not OutOfMemoryException)
        {
            _log.ShutdownTaskFailed(phase, name, exception);
        }
    }
}
