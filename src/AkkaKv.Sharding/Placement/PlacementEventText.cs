namespace AkkaKv.Sharding.Placement;

/// <summary>One line of text per placement event, the same in the node's log and in <c>GET /v1/placement/events</c>.</summary>
public static class PlacementEventText
{
    public static string Describe(PlacementEvent placementEvent) => placementEvent switch
    {
        PlacementRoundPlanned round => $"round on configuration {round.Configuration}: {string.Join("; ", round.Steps.Select(step => $"{step.GetType().Name} {step.Shard} ({step.Reason})"))}",
        PlacementStepCompleted completed => $"{Step(completed.Step)} done; configuration {completed.Configuration}",
        PlacementStepFailed failed => $"{Step(failed.Step)} failed, planned again: {failed.Reason}",
        PlacementCorrected corrected => $"{corrected.Shard} recorded as its group has it: voters [{string.Join(',', corrected.Actual.Voters)}], learners [{string.Join(',', corrected.Actual.Learners)}]",
        NodeDrained drained => $"{drained.Node} holds no replica: it leaves the cluster",
        PlacementCoordinatorStopped stopped => $"coordinator stopped: {stopped.Reason}",
        _ => placementEvent.ToString(),
    };

    private static string Step(PlacementStep step) => step switch
    {
        AddLearner add => $"add learner {add.Node} to {add.Shard}" + (add.Replacing.IsNone ? "" : $" (replacing {add.Replacing})"),
        PromoteLearner promote => $"promote {promote.Node} in {promote.Shard}",
        RemoveReplica remove => $"remove {remove.Node} from {remove.Shard}",
        TransferLeader transfer => $"transfer {transfer.Shard}'s leadership to {transfer.To}",
        _ => step.ToString(),
    };
}
