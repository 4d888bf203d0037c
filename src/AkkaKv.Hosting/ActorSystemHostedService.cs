using AkkaKv.Actors;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace AkkaKv.Hosting;

/// <summary>
/// Ties the actor system to the host's lifetime: starts the configured actors, runs the coordinated shutdown when
/// the host stops (SIGTERM, Ctrl-C), and stops the host if the actor system terminates on its own.
/// </summary>
internal sealed partial class ActorSystemHostedService(
    ActorSystem system,
    ActorRegistry registry,
    AkkaKvSetup setup,
    IServiceProvider services,
    IHostApplicationLifetime lifetime,
    ILogger<ActorSystemHostedService> logger) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        foreach (var starter in setup.Starters)
        {
            starter(system, registry, services);
        }
        system.WhenTerminated.ContinueWith(
            _ => lifetime.StopApplication(),
            CancellationToken.None,
            TaskContinuationOptions.ExecuteSynchronously,
            TaskScheduler.Default);
        LogStarted(logger, system.Name);
        return Task.CompletedTask;
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        await system.CoordinatedShutdown.Run(ShutdownReason.ProcessExit).WaitAsync(cancellationToken).ConfigureAwait(false);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Actor system {System} started")]
    private static partial void LogStarted(ILogger logger, string system);
}
