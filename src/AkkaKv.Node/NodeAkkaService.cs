using Akka.Actor;
using Akka.Hosting;

namespace AkkaKv.Node;

/// <summary>
/// Akka.Hosting's service for the node's actor system, with one difference: stopping the process (SIGTERM, Ctrl-C)
/// does not leave the cluster. Akka.Hosting runs <see cref="CoordinatedShutdown"/>, whose cluster-leave phase would
/// make every restart a leave — the coordinator would move the node's replicas away and back. Here a stop terminates
/// the actor system without leaving (<c>run-by-actor-system-terminate = off</c>), so a restart is a new incarnation
/// that replaces the old member and a rolling restart moves no data; leaving is the operator's <c>cluster leave</c>,
/// which drains the node first and then runs the coordinated shutdown through Akka.Cluster.
/// </summary>
internal sealed partial class NodeAkkaService(AkkaConfigurationBuilder configurationBuilder, IServiceProvider serviceProvider,
    ILogger<AkkaHostedService> logger, IHostApplicationLifetime applicationLifetime)
    : AkkaHostedService(configurationBuilder, serviceProvider, logger, applicationLifetime)
{
    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        if (ActorSystem is { } system && !system.WhenTerminated.IsCompleted)
        {
            var runtime = ServiceProvider.GetRequiredService<NodeRuntime>();
            runtime.StopRequested = true;
            LogStopping(Logger, runtime.Name);
            await system.Terminate().WaitAsync(cancellationToken).ConfigureAwait(false);
            LogTerminated(Logger, runtime.Name);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Stopping {Node}: process exit; the actor system terminates without leaving the cluster")]
    private static partial void LogStopping(ILogger logger, string node);

    [LoggerMessage(Level = LogLevel.Information, Message = "Actor system of {Node} terminated")]
    private static partial void LogTerminated(ILogger logger, string node);
}
