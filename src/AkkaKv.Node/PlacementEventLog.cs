using AkkaKv.Actors;
using AkkaKv.Sharding;
using AkkaKv.Sharding.Placement;

namespace AkkaKv.Node;

/// <summary>
/// Writes the placement's events — rounds, steps, corrections, drains, deleted replicas — to the node's log and counts
/// them in its metrics, for operators.
/// </summary>
internal sealed partial class PlacementEventLog(Metrics.NodeMetrics metrics) : Actor
{
    public static Props Props(Metrics.NodeMetrics metrics) => Actors.Props.Create(() => new PlacementEventLog(metrics));

    protected override void PreStart()
    {
        Context.System.EventStream.Subscribe(Self, typeof(PlacementEvent));
        Context.System.EventStream.Subscribe(Self, typeof(ReplicaDataDeleted));
    }

    protected override void PostStop() => Context.System.EventStream.Unsubscribe(Self);

    protected override void Receive(object message)
    {
        if (message is PlacementEvent placementEvent)
        {
            metrics.Count(placementEvent);
        }
        switch (message)
        {
            case PlacementStepFailed or PlacementCorrected or PlacementCoordinatorStopped:
                LogWarning(Log, message.GetType().Name, new EventText((PlacementEvent)message));
                break;
            case PlacementRoundPlanned or PlacementStepCompleted or NodeDrained:
                LogInformation(Log, message.GetType().Name, new EventText((PlacementEvent)message));
                break;
            case ReplicaDataDeleted deleted:
                metrics.CountReplicaDeleted();
                LogDeleted(Log, deleted.Shard);
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
