using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Configuration;

namespace AkkaKv.Hosting.Options;

/// <summary>The Akka.NET actor settings AkkaKv exposes (<c>akkakv.actor</c>), mapped onto <c>akka.actor</c> by the config generator.</summary>
public sealed record ActorOptions
{
    public const string Section = "akkakv:actor";

    /// <summary>Messages an actor processes per turn before yielding its thread.</summary>
    [ConfigurationKeyName("throughput"), Range(1, 10_000)]
    public int Throughput { get; init; } = 30;

    /// <summary>
    /// Threads of the dispatcher that runs the node's actors (0: one per processor, at least 2). Dedicated threads rather than the .NET thread pool: on a small machine the pool's hand-offs and
    /// spinning cost more CPU per message than the actors' own work.
    /// </summary>
    [ConfigurationKeyName("dispatcher-threads"), Range(0, 1024)]
    public int DispatcherThreads { get; init; }

    /// <summary>The dispatcher's thread count <see cref="DispatcherThreads"/> resolves to on this machine.</summary>
    public int EffectiveDispatcherThreads => DispatcherThreads > 0 ? DispatcherThreads : Math.Max(2, Environment.ProcessorCount);

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
}
