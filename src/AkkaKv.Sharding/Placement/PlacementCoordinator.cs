namespace AkkaKv.Sharding.Placement;

/// <summary>
/// The placement coordinator, as a plain state machine: keeps the <see cref="ShardMapHistory"/>, follows the nodes
/// (available, leaving, unreachable for longer than <c>replace-down-after</c>, gone) and learners' catch-up, runs a
/// planning round every interval, and hands each step to the <see cref="IPlacementExecutor"/> — one step in flight per
/// shard. A step that the shard's group applied makes the next configuration; one that failed is planned again. Every
/// round and step is published as an event. With a <see cref="PlacementStore"/> the configuration is durable: loaded
/// (or created) at start, and each new one saved before it counts; a save that fails stops the coordinator (another
/// may have taken over), and the next one corrects the configuration from the groups' own memberships. Synchronous
/// handlers; the executor's and the store's results come back as messages. <see cref="Hosting.PlacementCoordinatorHost"/>
/// hosts it; the cluster simulation drives it directly.
/// </summary>
public sealed partial class PlacementCoordinator
{
    private readonly PlacementCoordinatorOptions _options;
    private readonly IPlacementExecutor _executor;
    private readonly PlacementStore? _store;
    private readonly IActorShell _shell;
    private readonly Dictionary<NodeId, PlacementNodeState> _nodes = [];
    private readonly Dictionary<NodeId, long> _unavailableSinceMs = [];
    private readonly HashSet<(ShardId, NodeId)> _caughtUp = [];
    private readonly Dictionary<ShardId, PlacementStep> _inFlight = [];
    private ShardMapHistory _history;
    private HashSet<NodeId> _observed = [];

    /// <summary>
    /// A coordinator starting from <paramref name="initial"/>; with a <paramref name="store"/>, from the stored
    /// configuration instead when there is one (<paramref name="initial"/> then only starts a new cluster).
    /// </summary>
    public PlacementCoordinator(ShardMap initial, PlacementCoordinatorOptions options, IPlacementExecutor executor, PlacementStore? store, IActorShell shell)
    {
        ArgumentNullException.ThrowIfNull(initial);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(executor);
        ArgumentNullException.ThrowIfNull(shell);
        _history = ShardMapHistory.Start(initial, options.RetainConfigurations);
        _options = options;
        _executor = executor;
        _store = store;
        _shell = shell;
        foreach (var node in initial.Shards.Values.SelectMany(shard => shard.Nodes).Distinct())
        {
            _nodes[node] = PlacementNodeState.Active;
        }
    }

    /// <summary>The configurations this coordinator holds (the answer to <see cref="GetPlacement"/>).</summary>
    public ShardMapHistory History => _history;

    private long NowMs => _shell.NowMs();

    /// <summary>Loads the stored configuration (or starts at once without a store); runs once, first.</summary>
    public void Start()
    {
        if (_store is null)
        {
            BeginRounds();
            return;
        }
        var initial = _history.Current;
        _shell.PipeToSelf(_store.LoadCurrentAsync(CancellationToken.None), map => new Loaded(map ?? initial, map is null), error => new StoreFailed(error.Message));
    }

    private void BeginRounds()
    {
        _loaded = true;
        _shell.StartPeriodicTimer("round", Round.Instance, _options.RoundInterval);
        _shell.Publish(new ShardMapChanged(_history.Current));
    }

    /// <summary>Handles one message (the membership, reports, its own results); false for one it does not know.</summary>
    public bool Handle(object message)
    {
        switch (message)
        {
            case Loaded loaded: OnLoaded(loaded); break;
            case StoreFailed failed: OnStoreFailed(failed); break;
            case Saved saved: OnSaved(saved); break;
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
            case NodeUnavailable:
                break;
            case NodeGone gone:
                _nodes[gone.Node] = PlacementNodeState.Gone;
                break;
            case NodesObserved observed:
                OnNodesObserved(observed);
                break;
            case LearnerCaughtUp caughtUp:
                _caughtUp.Add((caughtUp.Shard, caughtUp.Node));
                break;
            case ShardLeaderReported or LeaderStatusReported or DrainingLoaded when !_loaded:
                break; // about a configuration not loaded yet
            case ShardLeaderReported reported:
                RecordLeader(reported.Shard, reported.Leader);
                break;
            case LeaderStatusReported reported:
                OnLeaderStatus(reported);
                break;
            case DrainingLoaded draining:
                OnDrainingLoaded(draining.Nodes);
                break;
            case Round when _saving is null && _loaded:
                PlanRound();
                break;
            case Round:
                break;
            case StepDone done when _saving is not null || !_loaded:
                _waiting.Enqueue(done);
                break;
            case StepDone done:
                OnStepDone(done);
                break;
            case NotYet:
                break;
            default:
                return false;
        }
        return true;
    }

    /// <summary>The membership as observed: every node's state; a node holding replicas that is not listed is unreachable.</summary>
    private void OnNodesObserved(NodesObserved observed)
    {
        var now = NowMs;
        var listed = new HashSet<NodeId>();
        foreach (var node in observed.Nodes)
        {
            listed.Add(node.Node);
            SetState(node.Node, node.State, now);
        }
        foreach (var node in _nodes.Keys.ToList().Where(node => !listed.Contains(node)))
        {
            SetState(node, PlacementNodeState.Unreachable, now);
        }
        _observed = listed;
    }

    private void SetState(NodeId node, PlacementNodeState state, long now)
    {
        if (state is PlacementNodeState.Unreachable or PlacementNodeState.Gone)
        {
            _unavailableSinceMs.TryAdd(node, now);
            if (_nodes.GetValueOrDefault(node) != PlacementNodeState.Gone || state == PlacementNodeState.Gone)
            {
                _nodes[node] = state;
            }
            return;
        }
        _unavailableSinceMs.Remove(node);
        _nodes[node] = _draining.Contains(node) && state == PlacementNodeState.Active ? PlacementNodeState.Leaving : state;
    }

    private void RecordLeader(ShardId shard, NodeId leader)
    {
        if (_history.Current.Shards.TryGetValue(shard, out var replicas) && replicas.Voters.Contains(leader) && replicas.Leader != leader)
        {
            // Leadership is not membership: the current configuration records it without a new number.
            RecordInCurrent(replicas with { Leader = leader });
        }
    }

    /// <summary>
    /// Records the epoch the group reports for the membership the configuration has. A step's record counts the epoch up
    /// by one — never past the group's, whose epoch is the log index of the change — and this makes it exact; like
    /// leadership, it is recorded without a new configuration number.
    /// </summary>
    private void RecordEpoch(ShardId shard, long epoch)
    {
        if (_history.Current.Shards.TryGetValue(shard, out var replicas) && epoch > replicas.Epoch)
        {
            RecordInCurrent(replicas with { Epoch = epoch });
        }
    }

    /// <summary>Replaces a shard's record in the current configuration, keeping its number, and publishes the result.</summary>
    private void RecordInCurrent(ShardReplicas replicas)
    {
        var current = _history.Current with { Shards = _history.Current.Shards.SetItem(replicas.Shard, replicas) };
        _history = _history with { Maps = _history.Maps.SetItem(_history.Maps.Count - 1, current) };
        _shell.Publish(new ShardMapChanged(current));
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
        FollowLeaders();
        LoadDraining();
        var nodes = _nodes.Select(pair => new PlacementNode(pair.Key, pair.Value)).ToList();
        // A removal is made only on a configuration its group has confirmed since the shard last changed: removing a
        // replica the configuration takes for a learner, but which the group has made a voter, would cost a voter.
        var steps = PlacementPlanner.Plan(_history.Current, nodes, _options.Placement, (shard, node) => _caughtUp.Contains((shard, node)))
            .Where(step => !_inFlight.ContainsKey(step.Shard) && (step is not RemoveReplica || _store is null || _confirmed.Contains(step.Shard)))
            .ToList();
        if (steps.Count == 0)
        {
            return;
        }
        _shell.Publish(new PlacementRoundPlanned(_history.Current.Number, steps));
        foreach (var step in steps)
        {
            _inFlight[step.Shard] = step;
            _shell.PipeToSelf(_executor.ExecuteAsync(step, CancellationToken.None), applied => new StepDone(step, applied, applied ? "" : "the group did not apply it"), error => new StepDone(step, false, error.Message));
        }
    }

    /// <summary>
    /// Asks, for every learner not yet known to have caught up, whether it has (answers come back as
    /// <see cref="LearnerCaughtUp"/>), and makes sure it runs — its node may have restarted before it stored anything.
    /// </summary>
    private void AskLearnersProgress()
    {
        foreach (var shard in _history.Current.Shards.Values.Where(shard => shard.Learners.Count > 0 && !_inFlight.ContainsKey(shard.Shard)))
        {
            foreach (var learner in shard.Learners.Where(learner => !_caughtUp.Contains((shard.Shard, learner))))
            {
                _shell.PipeToSelf(_executor.EnsureLearnerAsync(shard.Shard, learner, CancellationToken.None), () => NotYet.Instance, _ => NotYet.Instance);
                var caughtUp = new LearnerCaughtUp(shard.Shard, learner);
                _shell.PipeToSelf(_executor.IsCaughtUpAsync(shard.Shard, learner, CancellationToken.None), yes => yes ? caughtUp : NotYet.Instance, _ => NotYet.Instance);
            }
        }
    }

    private void OnStepDone(StepDone done)
    {
        _inFlight.Remove(done.Step.Shard);
        _changes[done.Step.Shard] = _changes.GetValueOrDefault(done.Step.Shard) + 1;
        _confirmed.Remove(done.Step.Shard);
        if (!done.Applied)
        {
            _shell.Publish(new PlacementStepFailed(done.Step, done.Reason));
            FollowLeader(done.Step.Shard); // the group may have applied it after all: see what it has
            return;
        }
        if (!_history.TryApply(_history.Current.Number, [done.Step], out var next, out var refusal))
        {
            _shell.Publish(new PlacementStepFailed(done.Step, refusal));
            return;
        }
        if (done.Step is PromoteLearner or RemoveReplica)
        {
            _caughtUp.RemoveWhere(entry => entry.Item1 == done.Step.Shard);
        }
        Commit(next, done.Step);
    }

    /// <summary>Makes <paramref name="next"/> the history, once saved when there is a store.</summary>
    private void Commit(ShardMapHistory next, PlacementStep? step)
    {
        if (_store is null || next.Current.Number == _history.Current.Number)
        {
            Adopt(next, step);
            return;
        }
        _saving = next;
        _shell.PipeToSelf(_store.SaveAsync(next.Current, CancellationToken.None), () => new Saved(next, step), error => new StoreFailed(error.Message));
    }

    private void Adopt(ShardMapHistory next, PlacementStep? step)
    {
        _history = next;
        if (step is not null)
        {
            _shell.Publish(new PlacementStepCompleted(step, _history.Current.Number));
        }
        _shell.Publish(new ShardMapChanged(_history.Current));
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
