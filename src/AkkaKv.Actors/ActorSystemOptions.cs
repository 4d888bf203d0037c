namespace AkkaKv.Actors;

/// <summary>Settings of one actor system (HOCON: <c>akkakv.actor</c>).</summary>
public sealed record ActorSystemOptions
{
    /// <summary>The clock for timers and ask timeouts. Virtual in deterministic mode.</summary>
    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;

    /// <summary>Where mailboxes run; null creates a <see cref="ThreadPoolDispatcher"/> with <see cref="Throughput"/>.</summary>
    public IDispatcher? Dispatcher { get; init; }

    /// <summary>Messages one actor processes per turn before yielding its thread (when the dispatcher is created here).</summary>
    public int Throughput { get; init; } = 30;

    /// <summary>Seed of the system's random source; null draws one. Set it to reproduce a run.</summary>
    public int? Seed { get; init; }

    /// <summary>The mailbox of actors whose props name none.</summary>
    public MailboxOptions DefaultMailbox { get; init; } = MailboxOptions.Unbounded;

    /// <summary>Timeout of an ask that names none.</summary>
    public TimeSpan AskTimeout { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>Maximum stashed messages per actor.</summary>
    public int StashCapacity { get; init; } = 10_000;

    /// <summary>How many dead letters are logged before further ones are only counted.</summary>
    public int LogDeadLetters { get; init; } = 10;

    /// <summary>Longest a coordinated-shutdown phase may take before the next one starts regardless.</summary>
    public TimeSpan ShutdownPhaseTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>How /user supervises top-level actors.</summary>
    public SupervisorStrategy GuardianStrategy { get; init; } = SupervisorStrategy.Default;

    /// <summary>Called with each user message an actor is about to handle; for traces in deterministic mode.</summary>
    public Action<IActorRef, object>? MessageTracer { get; init; }
}
