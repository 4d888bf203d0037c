using AkkaKv.Actors;
using AkkaKv.Cluster;

namespace AkkaKv.Node;

/// <summary>Stops the node once its own graceful leave from the cluster is done.</summary>
internal sealed partial class StopWhenLeft(IHostApplicationLifetime lifetime) : Actor
{
    public static Props Props(IHostApplicationLifetime lifetime) => Actors.Props.Create(() => new StopWhenLeft(lifetime));

    protected override void Receive(object message)
    {
        if (message is SelfLeft left)
        {
            LogStopping(Log, left.Member.Name);
            lifetime.StopApplication();
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "{Node} has left the cluster; stopping")]
    private static partial void LogStopping(ILogger logger, string node);
}
