using System.Globalization;
using AkkaKv.Actors;
using AkkaKv.Actors.Deterministic;
using Microsoft.Extensions.Logging;
using Xunit.Abstractions;
using Xunit.Sdk;

namespace AkkaKv.TestKit;

/// <summary>
/// Base class of actor tests: an actor system (in real time, or in the deterministic mode with virtual time), a
/// default <see cref="TestActor"/> probe, expectations, <c>Within</c>, <see cref="AwaitAssert"/> and event
/// filters. Disposing it terminates the system.
/// </summary>
public abstract class TestKit : IDisposable
{
    private readonly ILoggerFactory _loggerFactory;
    private readonly Stack<long> _withinDeadlines = new();
    private readonly List<TestProbe> _probes = [];
    private int _probeCounter;
    private bool _disposed;

    /// <summary>A kit on real time and the thread pool.</summary>
    protected TestKit(ITestOutputHelper? output = null, ActorSystemOptions? options = null, TestKitSettings? settings = null)
        : this(output, options, settings, environment: null)
    {
    }

    /// <summary>A kit in the deterministic mode of <paramref name="environment"/>: virtual time, seeded scheduling.</summary>
    protected TestKit(DeterministicEnvironment environment, ITestOutputHelper? output = null, ActorSystemOptions? options = null, TestKitSettings? settings = null)
        : this(output, options, settings, environment ?? throw new ArgumentNullException(nameof(environment)))
    {
    }

    private TestKit(ITestOutputHelper? output, ActorSystemOptions? options, TestKitSettings? settings, DeterministicEnvironment? environment)
    {
        Deterministic = environment;
        Clock = new TestClock(settings ?? TestKitSettings.Default, environment);
        Capture = new EventCapture(output);
        _loggerFactory = Microsoft.Extensions.Logging.LoggerFactory.Create(builder => builder.SetMinimumLevel(LogLevel.Debug).AddProvider(Capture));
        var name = GetType().Name.Replace('`', '-');
        Sys = environment is null
            ? ActorSystem.Create(name, options, _loggerFactory)
            : environment.CreateSystem(name, options, _loggerFactory);
        Capture.AttachDeadLetters(Sys);
        EventFilter = new EventFilterFactory(Capture, Clock);
        TestActor = CreateTestProbe("testActor");
    }

    /// <summary>The system under test.</summary>
    protected ActorSystem Sys { get; }

    /// <summary>The deterministic environment, or null in real time.</summary>
    protected DeterministicEnvironment? Deterministic { get; }

    /// <summary>How expectations wait.</summary>
    protected TestClock Clock { get; }

    /// <summary>Every log entry and dead letter so far.</summary>
    protected EventCapture Capture { get; }

    /// <summary>Builds log and dead-letter expectations.</summary>
    protected EventFilterFactory EventFilter { get; }

    /// <summary>The default probe; expectations on the kit read from it.</summary>
    protected TestProbe TestActor { get; }

    /// <summary>Creates another probe in <see cref="Sys"/>.</summary>
    protected TestProbe CreateTestProbe(string? name = null)
    {
        var probe = new TestProbe(Sys, Clock, name ?? "probe" + (++_probeCounter).ToString(CultureInfo.InvariantCulture), RemainingInWithin);
        _probes.Add(probe);
        return probe;
    }

    protected T ExpectMsg<T>(TimeSpan? timeout = null) => TestActor.ExpectMsg<T>(timeout);
    protected T ExpectMsg<T>(Func<T, bool> predicate, TimeSpan? timeout = null) => TestActor.ExpectMsg(predicate, timeout);
    protected T ExpectMsg<T>(T expected, TimeSpan? timeout = null) where T : notnull => TestActor.ExpectMsg(expected, timeout);
    protected void ExpectNoMsg(TimeSpan? duration = null) => TestActor.ExpectNoMsg(duration);
    protected Terminated ExpectTerminated(IActorRef target, TimeSpan? timeout = null) => TestActor.ExpectTerminated(target, timeout);
    protected object FishForMessage(Func<object, bool> predicate, TimeSpan? timeout = null) => TestActor.FishForMessage(predicate, timeout);
    protected IActorRef Watch(IActorRef target) => TestActor.Watch(target);

    /// <summary>
    /// Runs <paramref name="action"/>, which must finish within <paramref name="max"/> (and not before
    /// <paramref name="min"/>); expectations inside default to the time left.
    /// </summary>
    protected void Within(TimeSpan min, TimeSpan max, Action action)
    {
        ArgumentNullException.ThrowIfNull(action);
        var start = Clock.Time.GetTimestamp();
        _withinDeadlines.Push(start + (long)(max.TotalSeconds * Clock.Time.TimestampFrequency));
        try
        {
            action();
        }
        finally
        {
            _withinDeadlines.Pop();
        }
        var elapsed = Clock.Since(start);
        if (elapsed < min)
        {
            throw new XunitException($"Within: finished after {elapsed.TotalMilliseconds:0} ms, before the minimum {min.TotalMilliseconds:0} ms.");
        }
        if (elapsed > Clock.Dilate(max))
        {
            throw new XunitException($"Within: took {elapsed.TotalMilliseconds:0} ms, more than {Clock.Dilate(max).TotalMilliseconds:0} ms.");
        }
    }

    /// <inheritdoc cref="Within(TimeSpan, TimeSpan, Action)"/>
    protected void Within(TimeSpan max, Action action) => Within(TimeSpan.Zero, max, action);

    /// <summary>Retries <paramref name="assertion"/> every <paramref name="interval"/> until it passes or <paramref name="duration"/> is over; then rethrows its last failure.</summary>
    protected void AwaitAssert(Action assertion, TimeSpan? duration = null, TimeSpan? interval = null)
    {
        ArgumentNullException.ThrowIfNull(assertion);
        Exception? last = null;
        var passed = Clock.WaitUntil(
            () =>
            {
                try
                {
                    assertion();
                    return true;
                }
                catch (Exception exception) when (exception is XunitException or InvalidOperationException or InvariantViolationException)
                {
                    last = exception;
                    return false;
                }
            },
            duration ?? RemainingInWithin() ?? Clock.Settings.DefaultTimeout,
            pollInterval: interval ?? TimeSpan.FromMilliseconds(50));
        if (!passed)
        {
            throw new XunitException($"AwaitAssert did not pass in time: {last?.Message}");
        }
    }

    /// <summary>Waits until <paramref name="condition"/> holds; fails with <paramref name="message"/> otherwise.</summary>
    protected void AwaitCondition(Func<bool> condition, TimeSpan? duration = null, string? message = null)
    {
        if (!Clock.WaitUntil(condition, duration ?? RemainingInWithin() ?? Clock.Settings.DefaultTimeout))
        {
            throw new XunitException(message ?? "Condition did not become true in time.");
        }
    }

    /// <summary>Terminates the system, waiting for every actor to stop.</summary>
    protected void Shutdown()
    {
        _ = Sys.Terminate();
        // WhenTerminated completes on the thread that stops the root, so virtual time sees it without racing.
        if (!Clock.WaitUntil(() => Sys.WhenTerminated.IsCompleted, TimeSpan.FromSeconds(10)))
        {
            throw new XunitException($"{Sys.Name} did not terminate within 10 s.");
        }
    }

    public void Dispose()
    {
        Dispose(true);
        GC.SuppressFinalize(this);
    }

    protected virtual void Dispose(bool disposing)
    {
        if (_disposed || !disposing)
        {
            return;
        }
        _disposed = true;
        Shutdown();
        foreach (var probe in _probes)
        {
            probe.Dispose();
        }
        _loggerFactory.Dispose();
    }

    private TimeSpan? RemainingInWithin()
    {
        if (_withinDeadlines.Count == 0)
        {
            return null;
        }
        var left = TimeSpan.FromSeconds((double)(_withinDeadlines.Peek() - Clock.Time.GetTimestamp()) / Clock.Time.TimestampFrequency);
        return left > TimeSpan.Zero ? left : TimeSpan.Zero;
    }
}
