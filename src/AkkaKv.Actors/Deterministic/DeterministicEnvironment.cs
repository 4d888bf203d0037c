using Microsoft.Extensions.Logging;

namespace AkkaKv.Actors.Deterministic;

/// <summary>
/// The deterministic mode: one or many actor systems (nodes) in one process, all on one
/// <see cref="DeterministicDispatcher"/> and one <see cref="ManualTimeProvider"/>, every random choice drawn from
/// <see cref="Seed"/>. Drive it from one thread with <see cref="RunUntilIdle"/>, <see cref="Advance"/> and
/// <see cref="RunUntil"/>; the same seed replays the same run.
/// </summary>
public sealed class DeterministicEnvironment
{
    private readonly Random _random;
    private readonly List<string>? _trace;

    /// <summary>An environment for <paramref name="seed"/>; with <paramref name="recordTrace"/> every delivered message is recorded.</summary>
    public DeterministicEnvironment(int seed, bool recordTrace = false)
    {
        Seed = seed;
        _random = new Random(seed);
        Time = new ManualTimeProvider();
        Dispatcher = new DeterministicDispatcher(new Random(_random.Next()));
        _trace = recordTrace ? [] : null;
    }

    /// <summary>The seed everything is drawn from; print it on failure to replay the run.</summary>
    public int Seed { get; }

    /// <summary>The virtual clock shared by all systems.</summary>
    public ManualTimeProvider Time { get; }

    /// <summary>The single-threaded dispatcher shared by all systems.</summary>
    public DeterministicDispatcher Dispatcher { get; }

    /// <summary>Each delivered message as <c>recipient &lt;- message</c>, in delivery order (empty unless recording).</summary>
    public IReadOnlyList<string> Trace => _trace ?? [];

    /// <summary>Creates a system that runs in this environment.</summary>
    public ActorSystem CreateSystem(string name, ActorSystemOptions? options = null, ILoggerFactory? loggerFactory = null)
    {
        var tracer = _trace is null ? null : new Action<IActorRef, object>((recipient, message) => _trace.Add($"{recipient.Path} <- {message}"));
        var settings = (options ?? new ActorSystemOptions()) with
        {
            TimeProvider = Time,
            Dispatcher = Dispatcher,
            Seed = _random.Next(),
            MessageTracer = tracer,
        };
        return ActorSystem.Create(name, settings, loggerFactory);
    }

    /// <summary>Processes messages until no actor has work; virtual time does not move.</summary>
    public int RunUntilIdle() => Dispatcher.RunUntilIdle();

    /// <summary>Moves virtual time forward by <paramref name="delta"/>, running actors to idle after each timer that fires.</summary>
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

    /// <summary>
    /// Runs actors and fires timers in order until <paramref name="condition"/> holds or <paramref name="timeout"/> of
    /// virtual time has passed; returns whether it holds.
    /// </summary>
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
}
