using Akka.Actor;
using AkkaKv.Sharding;
using AkkaKv.Sharding.Placement;

namespace AkkaKv.Node;

/// <summary>
/// Writes the placement's events — rounds, steps, corrections, drains, deleted replicas — to the node's log and counts
/// them in its metrics, for operators.
/// </summary>
internal sealed partial class PlacementEventLog : UntypedActor
{
    private readonly Metrics.NodeMetrics _metrics;
    private readonly ILogger _log;

    /// <summary>Used by Akka.NET through <see cref="Props"/> (its activator needs a public constructor).</summary>
    public PlacementEventLog(Metrics.NodeMetrics metrics, ILogger log) => (_metrics, _log) = (metrics, log);

    public static Props Props(Metrics.NodeMetrics metrics, ILogger log) => Akka.Actor.Props.Create(() => new PlacementEventLog(metrics, log));

    protected override void PreStart()
    {
        Context.System.EventStream.Subscribe(Self, typeof(PlacementEvent));
        Context.System.EventStream.Subscribe(Self, typeof(ReplicaDataDeleted));
    }

    protected override void PostStop() => Context.System.EventStream.Unsubscribe(Self);

    protected override void OnReceive(object message)
    {
        if (message is PlacementEvent placementEvent)
        {
            _metrics.Count(placementEvent);
        }
        switch (message)
        {
            case PlacementStepFailed or PlacementCorrected or PlacementCoordinatorStopped:
                LogWarning(_log, message.GetType().Name, new EventText((PlacementEvent)message));
                break;
            case PlacementRoundPlanned or PlacementStepCompleted or NodeDrained:
                LogInformation(_log, message.GetType().Name, new EventText((PlacementEvent)message));
                break;
            case ReplicaDataDeleted deleted:
                _metrics.CountReplicaDeleted();
                LogDeleted(_log, deleted.Shard);
                break;
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Placement {Kind}: {Text}")]
    private static partial void LogInformation(ILogger logger, string kind, EventText text);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Placement {Kind}: {Text}")]
    private static partial void LogWarning(ILogger logger, string kind, EventText text);

    [LoggerMessage(Level = LogLevel.Information, Message = "Replica of {Shard} removed from this node; its data is deleted")]
    private static partial void LogDeleted(ILogger logger, ShardId shard);

    /// <summary>An event's text (<see cref="PlacementEventText"/>), formatted only when the entry is written.</summary>
    private readonly record struct EventText(PlacementEvent Event)
    {
        public override string ToString() => PlacementEventText.Describe(Event);
    }
}
