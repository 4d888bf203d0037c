using AkkaKv.Actors;

namespace AkkaKv.Sharding.Placement;

/// <summary>
/// The coordinator's actor: keeps the <see cref="ShardMapHistory"/>, follows the nodes (available, leaving, unreachable
/// for longer than <c>replace-down-after</c>, gone) and learners' catch-up, runs a planning round every interval, and
/// hands each step to the <see cref="IPlacementExecutor"/> — one step in flight per shard. A step that the shard's
/// group applied makes the next configuration; one that failed is planned again. Every round and step is an event on
/// the event stream. Synchronous handlers; the executor's results come back as messages.
/// </summary>
public sealed class PlacementCoordinator : Actor
{
    private readonly PlacementCoordinatorOptions _options;
    private readonly IPlacementExecutor _executor;
    private readonly Dictionary<NodeId, PlacementNodeState> _nodes = [];
    private readonly Dictionary<NodeId, long> _unavailableSinceMs = [];
    private readonly HashSet<(ShardId, NodeId)> _caughtUp = [];
    private readonly Dictionary<ShardId, PlacementStep> _inFlight = [];
    private ShardMapHistory _history;

    private PlacementCoordinator(ShardMap initial, PlacementCoordinatorOptions options, IPlacementExecutor executor)
    {
        _history = ShardMapHistory.Start(initial, options.RetainConfigurations);
        _options = options;
        _executor = executor;
        foreach (var node in initial.Shards.Values.SelectMany(shard => shard.Nodes).Distinct())
        {
            _nodes[node] = PlacementNodeState.Active;
        }
    }

    public static Props Props(ShardMap initial, PlacementCoordinatorOptions options, IPlacementExecutor executor)
    {
        ArgumentNullException.ThrowIfNull(initial);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(executor);
        return Actors.Props.Create(() => new PlacementCoordinator(initial, options, executor));
    }

    private long NowMs => Context.System.TimeProvider.GetUtcNow().ToUnixTimeMilliseconds();

    protected override void PreStart() => Timers.StartPeriodicTimer("round", Round.Instance, _options.RoundInterval);

    protected override void Receive(object message)
    {
        switch (message)
        {
            case NodeAvailable available:
                _nodes[available.Node] = PlacementNodeState.Active;
                _unavailableSinceMs.Remove(available.Node);
                break;
            case NodeLeaving leaving:
                _nodes[leaving.Node] = PlacementNodeState.Leaving;
                break;
            case NodeUnavailable unavailable when _nodes.TryGetValue(unavailable.Node, out var state) && state != PlacementNodeState.Gone:
                _nodes[unavailable.Node] = PlacementNodeState.Unreachable;
                _unavailableSinceMs.TryAdd(unavailable.Node, NowMs);
                break;
            case NodeGone gone:
                _nodes[gone.Node] = PlacementNodeState.Gone;
                break;
            case LearnerCaughtUp caughtUp:
                _caughtUp.Add((caughtUp.Shard, caughtUp.Node));
                break;
            case ShardLeaderReported reported when _history.Current.Shards.TryGetValue(reported.Shard, out var shard) && shard.Voters.Contains(reported.Leader):
                // Leadership is not membership: the current configuration records it without a new number.
                _history = _history with { Maps = _history.Maps.SetItem(_history.Maps.Count - 1, _history.Current with { Shards = _history.Current.Shards.SetItem(reported.Shard, shard with { Leader = reported.Leader }) }) };
                break;
            case Round:
                PlanRound();
                break;
            case StepDone done:
                OnStepDone(done);
                break;
            case NotYet:
                break;
            case GetPlacement:
                Sender.Tell(_history);
                break;
            default:
                Unhandled(message);
                break;
        }
    }

    private void PlanRound()
    {
        var now = NowMs;
        foreach (var (node, since) in _unavailableSinceMs)
        {
            if (now - since >= _options.ReplaceDownAfter.TotalMilliseconds && _nodes.GetValueOrDefault(node) != PlacementNodeState.Gone)
            {
                _nodes[node] = PlacementNodeState.Gone;
            }
        }
        AskLearnersProgress();
        var nodes = _nodes.Select(pair => new PlacementNode(pair.Key, pair.Value)).ToList();
        var steps = PlacementPlanner.Plan(_history.Current, nodes, _options.Placement, (shard, node) => _caughtUp.Contains((shard, node)))
            .Where(step => !_inFlight.ContainsKey(step.Shard))
            .ToList();
        if (steps.Count == 0)
        {
            return;
        }
        Context.System.EventStream.Publish(new PlacementRoundPlanned(_history.Current.Number, steps));
        foreach (var step in steps)
        {
            _inFlight[step.Shard] = step;
            var self = Self;
            _executor.ExecuteAsync(step, CancellationToken.None)
                .PipeTo(self, success: applied => new StepDone(step, applied, applied ? "" : "the group did not apply it"), failure: error => new StepDone(step, false, error.Message));
        }
    }

    /// <summary>Asks, for every learner not yet known to have caught up, whether it has; answers come back as <see cref="LearnerCaughtUp"/>.</summary>
    private void AskLearnersProgress()
    {
        foreach (var shard in _history.Current.Shards.Values.Where(shard => shard.Learners.Count > 0 && !_inFlight.ContainsKey(shard.Shard)))
        {
            foreach (var learner in shard.Learners.Where(learner => !_caughtUp.Contains((shard.Shard, learner))))
            {
                var caughtUp = new LearnerCaughtUp(shard.Shard, learner);
                _executor.IsCaughtUpAsync(shard.Shard, learner, CancellationToken.None)
                    .PipeTo(Self, success: yes => yes ? caughtUp : NotYet.Instance, failure: _ => NotYet.Instance);
            }
        }
    }

    private void OnStepDone(StepDone done)
    {
        _inFlight.Remove(done.Step.Shard);
        if (!done.Applied)
        {
            Context.System.EventStream.Publish(new PlacementStepFailed(done.Step, done.Reason));
            return;
        }
        if (!_history.TryApply(_history.Current.Number, [done.Step], out var next, out var refusal))
        {
            Context.System.EventStream.Publish(new PlacementStepFailed(done.Step, refusal));
            return;
        }
        _history = next;
        if (done.Step is PromoteLearner or RemoveReplica)
        {
            _caughtUp.RemoveWhere(entry => entry.Item1 == done.Step.Shard);
        }
        Context.System.EventStream.Publish(new PlacementStepCompleted(done.Step, _history.Current.Number));
    }

    private sealed record StepDone(PlacementStep Step, bool Applied, string Reason);

    private sealed record NotYet
    {
        public static readonly NotYet Instance = new();
    }

    private sealed record Round
    {
        public static readonly Round Instance = new();
    }
}
