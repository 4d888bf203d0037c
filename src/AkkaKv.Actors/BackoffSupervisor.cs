namespace AkkaKv.Actors;

/// <summary>
/// Supervises one child that is stopped on any failure and started again after an exponential backoff. Messages
/// to the supervisor are forwarded to the child (to dead letters while it is down).
/// </summary>
public sealed class BackoffSupervisor : Actor
{
    private readonly BackoffOptions _options;
    private IActorRef? _child;
    private int _restartCount;
    private int _childGeneration;

    private BackoffSupervisor(BackoffOptions options) => _options = options;

    /// <summary>Props of a supervisor with <paramref name="options"/>.</summary>
    public static Props Props(BackoffOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentOutOfRangeException.ThrowIfLessThan(options.MinBackoff, TimeSpan.Zero);
        ArgumentOutOfRangeException.ThrowIfLessThan(options.MaxBackoff, options.MinBackoff);
        ArgumentOutOfRangeException.ThrowIfNegative(options.RandomFactor);
        return Actors.Props.Create(() => new BackoffSupervisor(options));
    }

    protected internal override SupervisorStrategy SupervisorStrategy => SupervisorStrategy.StoppingStrategy;

    protected internal override void PreStart() => StartChild();

    protected internal override void Receive(object message)
    {
        switch (message)
        {
            case Terminated terminated when ReferenceEquals(terminated.Actor, _child):
                OnChildStopped();
                break;
            case StartChildTick:
                StartChild();
                break;
            case ResetRestartCount reset when reset.Generation == _childGeneration:
                _restartCount = 0;
                break;
            case ResetRestartCount:
                break;
            case GetBackoffChild:
                Sender.Tell(new BackoffCurrentChild(_child, _restartCount));
                break;
            default:
                (_child ?? Context.System.DeadLetters).Tell(message, Sender);
                break;
        }
    }

    private void StartChild()
    {
        _child = Context.Watch(Context.ActorOf(_options.ChildProps, _options.ChildName));
        _childGeneration++;
        Timers.StartSingleTimer(nameof(ResetRestartCount), new ResetRestartCount(_childGeneration), _options.ResetAfter);
    }

    private void OnChildStopped()
    {
        _child = null;
        Timers.Cancel(nameof(ResetRestartCount));
        if (_options.MaxRestarts >= 0 && _restartCount >= _options.MaxRestarts)
        {
            Context.Stop(Self);
            return;
        }
        var delay = NextDelay(_restartCount, Context.Random);
        _restartCount++;
        Log.BackoffRestartScheduled(Self.Path, delay, _restartCount);
        Timers.StartSingleTimer(nameof(StartChildTick), StartChildTick.Instance, delay);
    }

    private TimeSpan NextDelay(int restarts, Random random)
    {
        var exponential = _options.MinBackoff.TotalMilliseconds * Math.Pow(2, Math.Min(restarts, 30));
        var capped = Math.Min(_options.MaxBackoff.TotalMilliseconds, exponential);
        var stretched = capped * (1 + (random.NextDouble() * _options.RandomFactor));
        return TimeSpan.FromMilliseconds(Math.Min(stretched, _options.MaxBackoff.TotalMilliseconds * (1 + _options.RandomFactor)));
    }

    private sealed record StartChildTick
    {
        public static readonly StartChildTick Instance = new();
    }

    private sealed record ResetRestartCount(int Generation);
}
