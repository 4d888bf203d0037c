namespace AkkaKv.Sharding.Placement;

/// <summary>The coordinator's durable side: loading and saving configurations, following the groups' own memberships, draining.</summary>
public sealed partial class PlacementCoordinator
{
    private readonly Queue<StepDone> _waiting = new();
    private readonly Dictionary<ShardId, long> _changes = [];
    private readonly Dictionary<ShardId, ulong> _leaderTerms = [];
    private readonly HashSet<ShardId> _confirmed = [];
    private readonly HashSet<NodeId> _announcedDrained = [];
    private readonly Dictionary<NodeId, long> _drainingAbsentSinceMs = [];
    private HashSet<NodeId> _draining = [];
    private ShardMapHistory? _saving;
    private bool _loaded;

    private void OnLoaded(Loaded loaded)
    {
        _history = ShardMapHistory.Start(loaded.Map, _options.RetainConfigurations);
        foreach (var node in loaded.Map.Shards.Values.SelectMany(shard => shard.Nodes).Distinct())
        {
            // Until the membership is observed, the nodes holding replicas are taken as they are.
            _nodes.TryAdd(node, _observed.Count == 0 || _observed.Contains(node) ? PlacementNodeState.Active : PlacementNodeState.Unreachable);
        }
        if (loaded.IsNew)
        {
            _saving = _history;
            var history = _history;
            _shell.PipeToSelf(_store!.SaveAsync(loaded.Map, CancellationToken.None), () => new Saved(history, null), error => new StoreFailed(error.Message));
            return;
        }
        _loaded = true;
        BeginRounds();
    }

    private void OnSaved(Saved saved)
    {
        _saving = null;
        Adopt(saved.History, saved.Step);
        if (!_loaded)
        {
            _loaded = true;
            _shell.StartPeriodicTimer("round", Round.Instance, _options.RoundInterval);
        }
        while (_saving is null && _waiting.TryDequeue(out var done))
        {
            OnStepDone(done);
        }
    }

    private void OnStoreFailed(StoreFailed failed)
    {
        // The outcome of the save is unknown, or another coordinator saved: stop, and let a new coordinator load what
        // is stored and correct it from the groups themselves.
        _shell.Publish(new PlacementCoordinatorStopped(failed.Reason));
        _shell.StopSelf();
    }

    /// <summary>Asks every shard not being changed for its leader's status (leadership and applied membership).</summary>
    private void FollowLeaders()
    {
        foreach (var shard in _history.Current.Shards.Values.Where(shard => !_inFlight.ContainsKey(shard.Shard)))
        {
            FollowLeader(shard.Shard);
        }
    }

    private void FollowLeader(ShardId shard)
    {
        var changes = _changes.GetValueOrDefault(shard);
        _shell.PipeToSelf(_executor.LeaderStatusAsync(shard, CancellationToken.None), status => new LeaderStatusReported(shard, changes, status), _ => NotYet.Instance);
    }

    /// <summary>
    /// Records the leader, and — when the group's applied membership differs from the configuration (a coordinator
    /// stopped after the group applied a step but before saving it) — records the group's membership as a new
    /// configuration: the group's log is the truth.
    /// </summary>
    private void OnLeaderStatus(LeaderStatusReported reported)
    {
        if (reported.Status is not { } status || !_history.Current.Shards.TryGetValue(reported.Shard, out var replicas))
        {
            return;
        }
        // Leadership only moves forward in terms: a report from an older term than one already seen is stale.
        if (status.Term.Value >= _leaderTerms.GetValueOrDefault(reported.Shard))
        {
            _leaderTerms[reported.Shard] = status.Term.Value;
            RecordLeader(reported.Shard, status.Node);
        }
        if (_inFlight.ContainsKey(reported.Shard) || _saving is not null || _changes.GetValueOrDefault(reported.Shard) != reported.Changes)
        {
            return;
        }
        if (status.Conf.Voters.SetEquals(replicas.Voters) && status.Conf.Learners.SetEquals(replicas.Learners))
        {
            _confirmed.Add(reported.Shard);
            RecordEpoch(reported.Shard, (long)status.Conf.Index.Value);
            return;
        }
        if (status.Conf.Voters.Count == 0)
        {
            return;
        }
        var corrected = replicas with
        {
            // The group's epoch, never more: a record ahead of the group's configuration makes every replica refuse
            // requests routed by it (they look older than the configuration that routed them) until the next move.
            Epoch = (long)status.Conf.Index.Value,
            Voters = [.. status.Conf.Voters],
            Learners = [.. status.Conf.Learners],
            Leader = status.Node,
            Replacing = status.Conf.Voters.Contains(replicas.Replacing) || status.Conf.Learners.Contains(replicas.Replacing) ? replicas.Replacing : default,
        };
        _shell.Publish(new PlacementCorrected(reported.Shard, replicas, corrected));
        Commit(_history.Record(corrected), null);
    }

    private void LoadDraining()
    {
        if (_store is not null)
        {
            _shell.PipeToSelf(_store.LoadDrainingAsync(CancellationToken.None), nodes => new DrainingLoaded(nodes), _ => NotYet.Instance);
        }
    }

    /// <summary>
    /// Nodes an operator asked to leave are placed as leaving; once one holds no replica it is announced drained (the
    /// node then leaves the cluster), and once it has not been a member for <c>replace-down-after</c> it is struck from
    /// the list — not at once: a node asked to leave right after it joined may not have been observed yet, and striking
    /// it then would drop the request.
    /// </summary>
    private void OnDrainingLoaded(IReadOnlySet<NodeId> nodes)
    {
        _draining = [.. nodes];
        var now = NowMs;
        foreach (var node in _drainingAbsentSinceMs.Keys.Where(node => !_draining.Contains(node) || _observed.Contains(node)).ToList())
        {
            _drainingAbsentSinceMs.Remove(node);
        }
        foreach (var node in _draining)
        {
            if (_nodes.GetValueOrDefault(node) == PlacementNodeState.Active)
            {
                _nodes[node] = PlacementNodeState.Leaving;
            }
            if (!_observed.Contains(node))
            {
                if (now - _drainingAbsentSinceMs.GetValueOrDefault(node, now) >= _options.ReplaceDownAfter.TotalMilliseconds)
                {
                    if (_store is not null)
                    {
                        _shell.PipeToSelf(_store.SetDrainingAsync(node, false, CancellationToken.None), () => NotYet.Instance, _ => NotYet.Instance);
                    }
                    _announcedDrained.Remove(node);
                }
                _drainingAbsentSinceMs.TryAdd(node, now);
            }
            else if (HoldsNothing(node) && _announcedDrained.Add(node))
            {
                _shell.Publish(new NodeDrained(node));
            }
        }
    }

    /// <summary>
    /// True when <paramref name="node"/> holds no replica: none in the configuration, no step on it under way, and every
    /// group has confirmed the configuration since its last change — a step whose answer was lost may have left a
    /// replica there that only the group knows of.
    /// </summary>
    private bool HoldsNothing(NodeId node) =>
        !_history.Current.Shards.Values.Any(shard => shard.IsOn(node))
        && !_inFlight.Values.Any(step => step switch
        {
            AddLearner add => add.Node == node,
            PromoteLearner promote => promote.Node == node,
            RemoveReplica remove => remove.Node == node,
            TransferLeader transfer => transfer.To == node,
            _ => true,
        })
        && _history.Current.Shards.Keys.All(_confirmed.Contains);

    private sealed record Loaded(ShardMap Map, bool IsNew);

    private sealed record Saved(ShardMapHistory History, PlacementStep? Step);

    private sealed record StoreFailed(string Reason);

    /// <summary>A status asked before a step on its shard finished (<paramref name="Changes"/> then) is stale and ignored.</summary>
    private sealed record LeaderStatusReported(ShardId Shard, long Changes, ShardStatus? Status);

    private sealed record DrainingLoaded(IReadOnlySet<NodeId> Nodes);
}
