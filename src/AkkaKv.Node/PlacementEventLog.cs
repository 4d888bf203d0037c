using AkkaKv.Actors;
using AkkaKv.Sharding;
using AkkaKv.Sharding.Placement;

namespace AkkaKv.Node;

/// <summary>Writes the placement's events — rounds, steps, corrections, drains, deleted replicas — to the node's log, for operators.</summary>
internal sealed partial class PlacementEventLog : Actor
{
    public static Props Props() => Actors.Props.Create(() => new PlacementEventLog());

    protected override void PreStart()
    {
        Context.System.EventStream.Subscribe(Self, typeof(PlacementEvent));
        Context.System.EventStream.Subscribe(Self, typeof(ReplicaDataDeleted));
    }

    protected override void PostStop() => Context.System.EventStream.Unsubscribe(Self);

    protected override void Receive(object message)
    {
        switch (message)
        {
            case PlacementRoundPlanned round:
                LogRound(Log, round.Configuration, round.Steps.Count, new StepsText(round.Steps));
                break;
            case PlacementStepCompleted completed:
                LogStepCompleted(Log, completed.Step, completed.Configuration);
                break;
            case PlacementStepFailed failed:
                LogStepFailed(Log, failed.Step, failed.Reason);
                break;
            case PlacementCorrected corrected:
                LogCorrected(Log, corrected.Shard, corrected.Actual);
                break;
            case NodeDrained drained:
                LogDrained(Log, drained.Node);
                break;
            case PlacementCoordinatorStopped stopped:
                LogCoordinatorStopped(Log, stopped.Reason);
                break;
            case ReplicaDataDeleted deleted:
                LogDeleted(Log, deleted.Shard);
                break;
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Placement round on configuration {Configuration}: {Count} steps: {Steps}")]
    private static partial void LogRound(ILogger logger, long configuration, int count, StepsText steps);

    [LoggerMessage(Level = LogLevel.Information, Message = "Placement step done: {Step}; configuration {Configuration}")]
    private static partial void LogStepCompleted(ILogger logger, PlacementStep step, long configuration);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Placement step failed (planned again): {Step}: {Reason}")]
    private static partial void LogStepFailed(ILogger logger, PlacementStep step, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Configuration of {Shard} corrected from its group: {Actual}")]
    private static partial void LogCorrected(ILogger logger, ShardId shard, ShardReplicas actual);

    [LoggerMessage(Level = LogLevel.Information, Message = "{Node} is drained: it holds no replica and now leaves the cluster")]
    private static partial void LogDrained(ILogger logger, NodeId node);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Placement coordinator stopped: {Reason}")]
    private static partial void LogCoordinatorStopped(ILogger logger, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Replica of {Shard} removed from this node; its data is deleted")]
    private static partial void LogDeleted(ILogger logger, ShardId shard);

    /// <summary>Steps with their reasons, formatted only when the entry is written.</summary>
    private readonly record struct StepsText(IReadOnlyList<PlacementStep> Steps)
    {
        public override string ToString() => string.Join("; ", Steps.Select(step => $"{step} ({step.Reason})"));
    }
}
