using System.Globalization;
using AkkaKv.Actors.Deterministic;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace AkkaKv.Actors;

/// <summary>
/// A hierarchy of actors sharing a dispatcher, a clock, a random source, an event stream and dead letters. There
/// are no static singletons: many systems (nodes) can run in one process, which the deterministic mode relies on.
/// </summary>
public sealed class ActorSystem
{
    private readonly TaskCompletionSource _terminated = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Random _random;
    private readonly Lock _randomLock = new();
    private readonly LocalActorRef _root;
    private readonly LocalActorRef _userGuardian;
    private readonly LocalActorRef _systemGuardian;
    private readonly ILogger _log;
    private long _deadLetterCount;
    private long _tempCounter;
    private ActorPath? _tempRoot;
    private int _terminateRequested;

    private ActorSystem(string name, ActorSystemOptions options, ILoggerFactory loggerFactory)
    {
        Name = name;
        Options = options;
        LoggerFactory = loggerFactory;
        _log = loggerFactory.CreateLogger<ActorSystem>();
        TimeProvider = options.TimeProvider;
        Dispatcher = options.Dispatcher ?? new ThreadPoolDispatcher(options.Throughput);
        _random = options.Seed is { } seed ? new Random(seed) : new Random();
        Address = new ActorAddress(name);
        var rootPath = ActorPath.Root(Address);
        DeadLetters = new DeadLetterActorRef(this, rootPath.Child("deadLetters"));
        EventStream = new EventStream();
        var rootParent = new RootParentRef(this, rootPath.Child("$root-parent"));
        var rootCell = new ActorCell(this, rootParent, rootPath, Props.Create(() => new RootGuardian()));
        _root = rootCell.SelfRef;
        _root.SendSystemMessage(CreateActor.Instance);
        _userGuardian = (LocalActorRef)rootCell.ActorOf(Props.Create(() => new Guardian(options.GuardianStrategy)), "user");
        _systemGuardian = (LocalActorRef)rootCell.ActorOf(Props.Create(() => new Guardian(SupervisorStrategy.Default)), "system");
        CoordinatedShutdown = new CoordinatedShutdown(this);
    }

    /// <summary>The system's name, the first part of every actor path.</summary>
    public string Name { get; }

    /// <summary>The address every path of this system starts with.</summary>
    public ActorAddress Address { get; }

    /// <summary>The settings this system was created with.</summary>
    public ActorSystemOptions Options { get; }

    /// <summary>The clock of timers and asks.</summary>
    public TimeProvider TimeProvider { get; }

    /// <summary>Where this system's mailboxes run.</summary>
    public IDispatcher Dispatcher { get; }

    /// <summary>Creates loggers for actors and the runtime.</summary>
    public ILoggerFactory LoggerFactory { get; }

    /// <summary>The publish-subscribe bus.</summary>
    public EventStream EventStream { get; }

    /// <summary>Receives undeliverable messages.</summary>
    public IActorRef DeadLetters { get; }

    /// <summary>The phased shutdown of this system.</summary>
    public CoordinatedShutdown CoordinatedShutdown { get; }

    /// <summary>How many messages could not be delivered so far.</summary>
    public long DeadLetterCount => Interlocked.Read(ref _deadLetterCount);

    /// <summary>Completes once every actor of this system has stopped.</summary>
    public Task WhenTerminated => _terminated.Task;

    /// <summary>Creates and starts a system.</summary>
    public static ActorSystem Create(string name, ActorSystemOptions? options = null, ILoggerFactory? loggerFactory = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        if (!name.All(ch => char.IsAsciiLetterOrDigit(ch) || ch is '-' or '_'))
        {
            throw new ArgumentException($"Actor system name '{name}' may contain only ASCII letters, digits, '-' and '_'.", nameof(name));
        }
        return new ActorSystem(name, options ?? new ActorSystemOptions(), loggerFactory ?? NullLoggerFactory.Instance);
    }

    /// <summary>Starts a top-level actor under <c>/user</c>.</summary>
    public IActorRef ActorOf(Props props, string? name = null) => _userGuardian.Cell.ActorOf(props, name);

    /// <summary>Starts a runtime actor under <c>/system</c>; stopped after every <c>/user</c> actor.</summary>
    public IActorRef SystemActorOf(Props props, string? name = null) => _systemGuardian.Cell.ActorOf(props, name);

    /// <summary>
    /// The live actor at <paramref name="elements"/> below the root (such as <c>["user", "cluster"]</c>), or null when
    /// none lives there: how a message arriving from another node finds its recipient.
    /// </summary>
    public IActorRef? ResolveLocal(IReadOnlyList<string> elements)
    {
        ArgumentNullException.ThrowIfNull(elements);
        IActorRef? current = _root;
        foreach (var element in elements)
        {
            current = (current as LocalActorRef)?.Cell.Child(element);
            if (current is null)
            {
                return null;
            }
        }
        return elements.Count == 0 ? null : current;
    }

    /// <summary>Stops <paramref name="actor"/> after its current message.</summary>
    public void Stop(IActorRef actor) => _userGuardian.Cell.Stop(actor);

    /// <summary>Runs the coordinated shutdown (all phases), which ends by stopping every actor.</summary>
    public Task Terminate() => CoordinatedShutdown.Run(ShutdownReason.ActorSystemTerminate);

    /// <summary>A fresh seed drawn from the system's random source (reproducible when it is seeded).</summary>
    public int NextSeed()
    {
        lock (_randomLock)
        {
            return _random.Next();
        }
    }

    /// <summary>The last shutdown phase: stop /user, then /system, then the root. Idempotent.</summary>
    internal Task StopActors()
    {
        if (Interlocked.Exchange(ref _terminateRequested, 1) == 0)
        {
            _root.Tell(RootGuardian.StopGuardians.Instance);
        }
        return WhenTerminated;
    }

    internal bool IsTerminating => Volatile.Read(ref _terminateRequested) == 1;

    // Built once: every ask names its promise under it, and a path's text is built when the path is.
    private ActorPath TempRoot => _tempRoot ??= ActorPath.Root(Address).Child("temp");

    internal ActorPath NewTempPath() =>
        TempRoot.Child("$" + Interlocked.Increment(ref _tempCounter).ToString(CultureInfo.InvariantCulture));

    internal void PublishDeadLetter(DeadLetter deadLetter)
    {
        if (deadLetter.Message is DeadLetter or UnhandledMessage)
        {
            // An event that could not reach its subscriber: publishing it again could loop forever.
            return;
        }
        var count = Interlocked.Increment(ref _deadLetterCount);
        if (count <= Options.LogDeadLetters && !IsTerminating)
        {
            _log.DeadLetterLogged(deadLetter.Message.GetType(), deadLetter.Sender?.Path, deadLetter.Recipient.Path, count);
            if (count == Options.LogDeadLetters)
            {
                _log.DeadLetterLoggingSuppressed(Options.LogDeadLetters);
            }
        }
        EventStream.Publish(deadLetter);
    }

    internal void OnRootTerminated()
    {
        _log.SystemTerminated(Name);
        _terminated.TrySetResult();
    }

    internal void OnRootFailed(Exception cause) => _log.RootGuardianFailed(Name, cause);

    /// <summary>True when this system runs on a <see cref="DeterministicDispatcher"/>.</summary>
    public bool IsDeterministic => Dispatcher is DeterministicDispatcher;

    public override string ToString() => Address.ToString();
}
