using System.Globalization;
using Microsoft.Extensions.Logging;

namespace AkkaKv.Actors;

/// <summary>
/// The runtime's side of one actor: its instance, mailbox, children, watchers, behaviors, timers and stash. All of
/// it is touched only on the actor's own turn, except the child registry (read by other threads for lookups).
/// </summary>
internal sealed partial class ActorCell : IActorContext
{
    [ThreadStatic] private static ActorCell? _constructing;

    private readonly Lock _childrenLock = new();
    private readonly List<LocalActorRef> _children = [];
    private readonly List<IActorRef> _watchers = [];
    private readonly List<IActorRef> _watching = [];
    private readonly List<Action<object>> _behaviors = [];
    private TimerScheduler? _timers;
    private ActorStash? _stash;
    private Random? _random;
    private Actor? _actor;
    private Envelope _current;
    private int _childNameCounter;
    private volatile bool _suspended;
    private volatile bool _terminating;
    private volatile bool _terminated;

    public ActorCell(ActorSystem system, IInternalActorRef parent, ActorPath path, Props props)
    {
        System = system;
        ParentRef = parent;
        Props = props;
        var self = new LocalActorRef(this, path);
        Self = self;
        SelfRef = self;
        Mailbox = new Mailbox(this, system.Dispatcher, props.Mailbox ?? system.Options.DefaultMailbox);
        Log = system.LoggerFactory.CreateLogger(props.ActorType);
    }

    /// <summary>The cell whose actor constructor is running on this thread, so <see cref="Actor"/> can bind to it.</summary>
    internal static ActorCell? Constructing => _constructing;

    public ActorSystem System { get; }
    public IActorRef Self { get; }
    public ILogger Log { get; }
    public Props Props { get; }
    internal LocalActorRef SelfRef { get; }
    internal IInternalActorRef ParentRef { get; }
    internal Mailbox Mailbox { get; }

    /// <summary>Restart bookkeeping, owned by the parent's supervision.</summary>
    internal ChildRestartStats RestartStats { get; } = new();

    public IActorRef Parent => ParentRef;
    public IActorRef Sender => _current.Sender ?? System.DeadLetters;
    public Random Random => _random ??= new Random(System.NextSeed());
    internal ITimerScheduler Timers => _timers ??= new TimerScheduler(this);
    internal IStash Stash => _stash ??= new ActorStash(this, System.Options.StashCapacity);
    internal bool IsTerminated => _terminated;
    internal bool CanProcessUserMessages => !_suspended && !_terminated;

    public IReadOnlyList<IActorRef> Children
    {
        get
        {
            lock (_childrenLock)
            {
                return [.. _children];
            }
        }
    }

    public IActorRef? Child(string name)
    {
        lock (_childrenLock)
        {
            return _children.Find(child => child.Path.Name == name);
        }
    }

    public IActorRef ActorOf(Props props, string? name = null)
    {
        ArgumentNullException.ThrowIfNull(props);
        LocalActorRef child;
        lock (_childrenLock)
        {
            if (_terminating)
            {
                throw new InvalidOperationException($"{Self.Path} is stopping and cannot start children.");
            }
            name ??= "$" + (++_childNameCounter).ToString(CultureInfo.InvariantCulture);
            ValidateChildName(name);
            var childPath = Self.Path.Child(name);
            var childCell = new ActorCell(System, SelfRef, childPath, props);
            child = childCell.SelfRef;
            _children.Add(child);
        }
        child.SendSystemMessage(CreateActor.Instance);
        return child;
    }

    public void Stop(IActorRef actor)
    {
        ArgumentNullException.ThrowIfNull(actor);
        if (actor is IInternalActorRef internalRef)
        {
            internalRef.SendSystemMessage(TerminateActor.Instance);
        }
    }

    public void Become(Action<object> behavior, bool discardOld = true)
    {
        ArgumentNullException.ThrowIfNull(behavior);
        if (discardOld && _behaviors.Count > 0)
        {
            _behaviors[^1] = behavior;
        }
        else
        {
            _behaviors.Add(behavior);
        }
    }

    public void Unbecome()
    {
        if (_behaviors.Count > 0)
        {
            _behaviors.RemoveAt(_behaviors.Count - 1);
        }
    }

    /// <summary>Processes one user message on the actor's turn; a throw suspends the actor and asks the parent.</summary>
    internal void Invoke(Envelope envelope)
    {
        _current = envelope;
        try
        {
            System.Options.MessageTracer?.Invoke(Self, envelope.Message);
            switch (envelope.Message)
            {
                case TimerFired fired:
                    if (_timers is not null && _timers.TryAccept(fired))
                    {
                        _current = new Envelope(fired.Message, Self);
                        Deliver(fired.Message);
                    }
                    break;
                case PoisonPill:
                    Stop(Self);
                    break;
                case Kill:
                    throw new ActorKilledException($"{Self.Path} received Kill");
                default:
                    Deliver(envelope.Message);
                    break;
            }
        }
        catch (Exception exception) when (exception is not OutOfMemoryException)
        {
            HandleInvokeFailure(exception, envelope.Message);
        }
        finally
        {
            _current = default;
        }
    }

    /// <summary>Re-enqueues stashed messages ahead of the mailbox; used by <see cref="ActorStash"/>.</summary>
    internal void Prepend(IReadOnlyList<Envelope> envelopes)
    {
        // Messages taken out of the stash keep their order and go before anything that arrived meanwhile: the
        // mailbox is drained, the stashed ones are written, then the drained ones after them.
        var queued = Mailbox.DrainForPrepend();
        foreach (var envelope in envelopes)
        {
            Mailbox.Post(envelope);
        }
        foreach (var envelope in queued)
        {
            Mailbox.Post(envelope);
        }
    }

    internal Envelope CurrentEnvelope => _current;

    internal void OnUnhandled(object message)
    {
        System.EventStream.Publish(new UnhandledMessage(message, _current.Sender, Self));
        Log.UnhandledMessage(Self.Path, message.GetType());
    }

    /// <summary>A user message that could not be queued (closed or full mailbox) goes to dead letters.</summary>
    internal void OnUndelivered(Envelope envelope) =>
        System.PublishDeadLetter(new DeadLetter(envelope.Message, envelope.Sender, Self));

    private void Deliver(object message)
    {
        if (_actor is null)
        {
            OnUndelivered(new Envelope(message, _current.Sender));
            return;
        }
        if (_behaviors.Count > 0)
        {
            _behaviors[^1](message);
        }
        else
        {
            _actor.Receive(message);
        }
    }

    private Actor NewActor()
    {
        var previous = _constructing;
        _constructing = this;
        try
        {
            return Props.Factory();
        }
        finally
        {
            _constructing = previous;
        }
    }

    private void ValidateChildName(string name)
    {
        if (string.IsNullOrEmpty(name) || name.Contains('/', StringComparison.Ordinal) || name.Any(char.IsWhiteSpace))
        {
            throw new InvalidActorNameException($"Invalid actor name '{name}': it must be non-empty, without '/' or spaces.");
        }
        if (_children.Exists(child => child.Path.Name == name))
        {
            throw new InvalidActorNameException($"Actor name '{name}' is not unique under {Self.Path}.");
        }
    }

    public override string ToString() => Self.Path.ToString();
}
