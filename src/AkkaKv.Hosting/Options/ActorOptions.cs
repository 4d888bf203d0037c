using System.ComponentModel.DataAnnotations;
using AkkaKv.Actors;
using Microsoft.Extensions.Configuration;

namespace AkkaKv.Hosting.Options;

/// <summary>The actor runtime (<c>akkakv.actor</c>).</summary>
public sealed record ActorOptions
{
    public const string Section = "akkakv:actor";

    /// <summary>Messages an actor processes per turn before yielding its thread.</summary>
    [ConfigurationKeyName("throughput"), Range(1, 10_000)]
    public int Throughput { get; init; } = 30;

    /// <summary>Default mailbox capacity in messages; 0 means unbounded.</summary>
    [ConfigurationKeyName("default-mailbox-capacity"), Range(0, 100_000_000)]
    public int DefaultMailboxCapacity { get; init; }

    /// <summary>What a full bounded mailbox does: <c>drop-newest</c> or <c>drop-oldest</c> (the dropped message is a dead letter).</summary>
    [ConfigurationKeyName("mailbox-overflow"), RegularExpression("^(drop-newest|drop-oldest)$", ErrorMessage = "must be drop-newest or drop-oldest")]
    public string MailboxOverflow { get; init; } = "drop-newest";

    /// <summary>Timeout of an ask that names none.</summary>
    [ConfigurationKeyName("ask-timeout"), Range(typeof(TimeSpan), "00:00:00.001", "1.00:00:00")]
    public TimeSpan AskTimeout { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>Maximum stashed messages per actor.</summary>
    [ConfigurationKeyName("stash-capacity"), Range(1, 10_000_000)]
    public int StashCapacity { get; init; } = 10_000;

    /// <summary>Dead letters logged before further ones are only counted.</summary>
    [ConfigurationKeyName("log-dead-letters"), Range(0, int.MaxValue)]
    public int LogDeadLetters { get; init; } = 10;

    /// <summary>Longest a coordinated-shutdown phase may take.</summary>
    [ConfigurationKeyName("shutdown-phase-timeout"), Range(typeof(TimeSpan), "00:00:00.001", "01:00:00")]
    public TimeSpan ShutdownPhaseTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Seed of the runtime's random source; unset draws one.</summary>
    [ConfigurationKeyName("seed")]
    public int? Seed { get; init; }

    /// <summary>The runtime settings these options describe.</summary>
    public ActorSystemOptions ToActorSystemOptions(TimeProvider timeProvider) => new()
    {
        TimeProvider = timeProvider,
        Throughput = Throughput,
        DefaultMailbox = DefaultMailboxCapacity == 0
            ? MailboxOptions.Unbounded
            : MailboxOptions.Bounded(DefaultMailboxCapacity, MailboxOverflow == "drop-oldest" ? Actors.MailboxOverflow.DropOldest : Actors.MailboxOverflow.DropNewest),
        AskTimeout = AskTimeout,
        StashCapacity = StashCapacity,
        LogDeadLetters = LogDeadLetters,
        ShutdownPhaseTimeout = ShutdownPhaseTimeout,
        Seed = Seed,
    };
}
