namespace AkkaKv.Actors;

/// <summary>
/// How a parent treats a failing child. <see cref="OneForOne"/> applies the decision to the failing child only;
/// <see cref="AllForOne"/> to all its siblings too. A child restarted more than <see cref="MaxRetries"/> times
/// within <see cref="Window"/> is stopped instead.
/// </summary>
public sealed record SupervisorStrategy
{
    private SupervisorStrategy(Func<Exception, Directive> decider, int maxRetries, TimeSpan window, bool allForOne)
    {
        Decider = decider;
        MaxRetries = maxRetries;
        Window = window;
        AppliesToAllChildren = allForOne;
    }

    /// <summary>
    /// The default: one-for-one; stop on <see cref="ActorInitializationException"/> and <see cref="ActorKilledException"/>,
    /// restart on anything else, without limit.
    /// </summary>
    public static SupervisorStrategy Default { get; } = OneForOne(DefaultDecider);

    /// <summary>Stops the failing child whatever the exception.</summary>
    public static SupervisorStrategy StoppingStrategy { get; } = OneForOne(_ => Directive.Stop);

    /// <summary>Chooses the directive for an exception.</summary>
    public Func<Exception, Directive> Decider { get; }

    /// <summary>Restarts allowed within <see cref="Window"/>; negative means unlimited.</summary>
    public int MaxRetries { get; }

    /// <summary>The window over which restarts are counted; <see cref="TimeSpan.Zero"/> counts over all time.</summary>
    public TimeSpan Window { get; }

    /// <summary>True for all-for-one: the decision applies to every child.</summary>
    public bool AppliesToAllChildren { get; }

    /// <summary>A one-for-one strategy.</summary>
    public static SupervisorStrategy OneForOne(Func<Exception, Directive> decider, int maxRetries = -1, TimeSpan window = default)
    {
        ArgumentNullException.ThrowIfNull(decider);
        return new SupervisorStrategy(decider, maxRetries, window, allForOne: false);
    }

    /// <summary>An all-for-one strategy.</summary>
    public static SupervisorStrategy AllForOne(Func<Exception, Directive> decider, int maxRetries = -1, TimeSpan window = default)
    {
        ArgumentNullException.ThrowIfNull(decider);
        return new SupervisorStrategy(decider, maxRetries, window, allForOne: true);
    }

    /// <summary>The default decider described on <see cref="Default"/>.</summary>
    public static Directive DefaultDecider(Exception cause) => cause switch
    {
        ActorInitializationException => Directive.Stop,
        ActorKilledException => Directive.Stop,
        _ => Directive.Restart,
    };

    internal Directive Decide(Exception cause) => Decider(cause);
}
