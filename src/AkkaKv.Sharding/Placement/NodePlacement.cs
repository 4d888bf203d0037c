using AkkaKv.Raft;

namespace AkkaKv.Sharding.Placement;

/// <summary>
/// A node's part in placement, as a plain single-threaded state machine (its Akka.NET shell is
/// <see cref="Hosting.NodePlacementHost"/>): it decides when the <see cref="PlacementCoordinator"/> runs here — exactly
/// while this node's replica of the placement group leads it, and not again sooner than four checks after it stopped
/// (so a coordinator that failed does not restart in a loop) — which configurations enter the node's
/// <see cref="ShardMapCache"/> and which peers they are published to, which local replicas the configuration no longer
/// lists (stopped after a grace period, since a replica being added is listed only once its step is recorded), and
/// keeps the newest placement events. Each method returns what the shell must do; time comes from the injected clock.
/// </summary>
public sealed class NodePlacement
{
    /// <summary>How many placement events are kept for <see cref="GetPlacementEvents"/>.</summary>
    public const int KeptEvents = 500;

    /// <summary>Checks that must pass after the coordinator stopped before another is started here.</summary>
    private const int RestartAfterChecks = 4;

    /// <summary>Publish intervals within which a configuration must have been heard for replicas to be collected.</summary>
    private const int FreshForPublishIntervals = 3;

    private readonly PlacementHostOptions _options;
    private readonly ShardMapCache _cache;
    private readonly TimeProvider _time;
    private readonly Dictionary<ShardId, DateTimeOffset> _absentSince = [];
    private readonly Queue<PlacementEventRecord> _events = new();
    private DateTimeOffset? _coordinatorStoppedAt;
    private DateTimeOffset? _mapHeardAt;

    /// <summary>The placement of <see cref="PlacementHostOptions.Node"/>, feeding <paramref name="cache"/>, on the clock <paramref name="time"/>.</summary>
    public NodePlacement(PlacementHostOptions options, ShardMapCache cache, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(cache);
        ArgumentNullException.ThrowIfNull(time);
        (_options, _cache, _time) = (options, cache, time);
    }

    /// <summary>What the shell does with its coordinator.</summary>
    public enum CoordinatorChange
    {
        /// <summary>Nothing: it runs and should, or does not run and should not (yet).</summary>
        None,

        /// <summary>Start a coordinator (and tell it <see cref="NodesForNewCoordinator"/>).</summary>
        Start,

        /// <summary>Stop the running coordinator.</summary>
        Stop,
    }

    /// <summary>
    /// What the shell does once the node's local replicas are listed: ask the local placement replica for its status
    /// (it runs here), stop the coordinator (it does not), and stop the <paramref name="ReplicasToStop"/>.
    /// </summary>
    public sealed record LocalReplicasDecision(bool AskPlacementStatus, bool StopCoordinator, IReadOnlyList<ShardId> ReplicasToStop);

    /// <summary>True while a coordinator runs here: from a <see cref="CoordinatorChange.Start"/> until it stops.</summary>
    public bool IsCoordinating { get; private set; }

    /// <summary>The membership as last observed.</summary>
    public IReadOnlyList<PlacementNode> Nodes { get; private set; } = [];

    /// <summary>The nodes configurations are published to: those observed, but not this node and none that is gone.</summary>
    public IReadOnlyList<NodeId> Peers => [.. Nodes.Where(node => node.Node != _options.Node && node.State != PlacementNodeState.Gone).Select(node => node.Node)];

    /// <summary>What a coordinator just started is told: the observed membership, or null before any was observed.</summary>
    public NodesObserved? NodesForNewCoordinator => Nodes.Count > 0 ? new NodesObserved(Nodes) : null;

    /// <summary>
    /// The node runs <paramref name="local"/> replicas: the placement replica's status is asked when it is one of them,
    /// and otherwise the coordinator stops; replicas a recently heard configuration has not listed here for longer
    /// than <see cref="PlacementHostOptions.RemovedReplicaGrace"/> are stopped (their data is deleted). A node that has
    /// heard no configuration within three publish intervals (cut off from the coordinators) keeps everything.
    /// </summary>
    public LocalReplicasDecision OnLocalReplicas(IReadOnlyCollection<ShardId> local)
    {
        ArgumentNullException.ThrowIfNull(local);
        var holdsPlacement = local.Contains(_options.PlacementShard);
        var stopCoordinator = !holdsPlacement && StopCoordinator();
        return new LocalReplicasDecision(holdsPlacement, stopCoordinator, CollectRemovedReplicas(local));
    }

    /// <summary>
    /// The local placement replica reported <paramref name="status"/> (null: it did not answer, or not with a status).
    /// The coordinator runs exactly while that replica leads: a deposed one stops at once, and a new one starts unless
    /// one stopped less than four <see cref="PlacementHostOptions.CheckInterval"/>s ago.
    /// </summary>
    public CoordinatorChange OnPlacementStatus(ShardStatus? status)
    {
        if (status is not { Role: RaftRole.Leader })
        {
            return StopCoordinator() ? CoordinatorChange.Stop : CoordinatorChange.None;
        }
        if (IsCoordinating || (_coordinatorStoppedAt is { } stopped && _time.GetUtcNow() - stopped < _options.CheckInterval * RestartAfterChecks))
        {
            return CoordinatorChange.None;
        }
        IsCoordinating = true;
        return CoordinatorChange.Start;
    }

    /// <summary>The coordinator stopped by itself (it failed and was stopped by its supervisor).</summary>
    public void OnCoordinatorStopped()
    {
        if (IsCoordinating)
        {
            IsCoordinating = false;
            _coordinatorStoppedAt = _time.GetUtcNow();
        }
    }

    /// <summary>
    /// The coordinator published <paramref name="changed"/>: while it runs here, the configuration enters the cache and
    /// is returned to be published to <see cref="Peers"/>. Null otherwise (a coordinator that stopped here already
    /// published its last configuration). Configurations are not kept as events.
    /// </summary>
    public ShardMapPublished? OnShardMapChanged(ShardMapChanged changed)
    {
        ArgumentNullException.ThrowIfNull(changed);
        if (!IsCoordinating)
        {
            return null;
        }
        _cache.Offer(changed.Map, _options.Node);
        _mapHeardAt = _time.GetUtcNow();
        return new ShardMapPublished(changed.Map, _options.Node);
    }

    /// <summary>Another node's coordinator published <paramref name="published"/>: it is offered to the cache (one from this node's own is ignored).</summary>
    public void OnShardMapPublished(ShardMapPublished published)
    {
        ArgumentNullException.ThrowIfNull(published);
        if (published.Coordinator == _options.Node)
        {
            return;
        }
        _cache.Offer(published.Map, published.Coordinator);
        _mapHeardAt = _time.GetUtcNow();
    }

    /// <summary>
    /// The publish interval passed: the current configuration to publish again to <see cref="Peers"/> (new members learn
    /// it so), or null unless a coordinator runs here and published it.
    /// </summary>
    public ShardMapPublished? OnPublishTimer() =>
        IsCoordinating && _cache.Current is { } map && _cache.Coordinator == _options.Node ? new ShardMapPublished(map, _options.Node) : null;

    /// <summary>The membership is now <paramref name="observed"/>; true when the running coordinator must be told it.</summary>
    public bool OnNodesObserved(NodesObserved observed)
    {
        ArgumentNullException.ThrowIfNull(observed);
        Nodes = observed.Nodes;
        return IsCoordinating;
    }

    /// <summary>
    /// The coordinator found <paramref name="drained"/>'s node empty: kept as an event, and true when it must leave the
    /// cluster now — only while the coordinator runs here (the event may come from a stale one).
    /// </summary>
    public bool OnNodeDrained(NodeDrained drained)
    {
        Record(drained);
        return IsCoordinating;
    }

    /// <summary>Keeps <paramref name="placementEvent"/> among the newest <see cref="KeptEvents"/> (configurations excepted: they are in <c>GET /v1/shards</c> and <c>/v1/config/{n}</c>).</summary>
    public void Record(PlacementEvent placementEvent)
    {
        ArgumentNullException.ThrowIfNull(placementEvent);
        if (placementEvent is ShardMapChanged)
        {
            return;
        }
        _events.Enqueue(new PlacementEventRecord(_time.GetUtcNow(), placementEvent.GetType().Name, PlacementEventText.Describe(placementEvent)));
        while (_events.Count > KeptEvents)
        {
            _events.Dequeue();
        }
    }

    /// <summary>
    /// The node whose host <paramref name="get"/> is forwarded to (the current configuration's coordinator), or null
    /// when it is answered here: a coordinator runs here, or it was forwarded once already.
    /// </summary>
    public NodeId? ForwardEventsTo(GetPlacementEvents get)
    {
        ArgumentNullException.ThrowIfNull(get);
        return IsCoordinating || get.Forwarded ? null : _cache.Coordinator;
    }

    /// <summary>The answer to <paramref name="get"/>: the newest kept events, oldest first, and this node as coordinator if it is one.</summary>
    public PlacementEventList Events(GetPlacementEvents get)
    {
        ArgumentNullException.ThrowIfNull(get);
        return new PlacementEventList(IsCoordinating ? _options.Node : NodeId.None, [.. _events.Skip(Math.Max(0, _events.Count - get.Max))]);
    }

    /// <summary>Marks the running coordinator stopped; true when one ran (the shell must stop it).</summary>
    private bool StopCoordinator()
    {
        if (!IsCoordinating)
        {
            return false;
        }
        OnCoordinatorStopped();
        return true;
    }

    private List<ShardId> CollectRemovedReplicas(IReadOnlyCollection<ShardId> local)
    {
        var now = _time.GetUtcNow();
        if (_cache.Current is not { } map || _mapHeardAt is not { } heard || now - heard > _options.PublishInterval * FreshForPublishIntervals)
        {
            return []; // only a configuration heard of lately can tell a replica is not wanted here
        }
        var stop = new List<ShardId>();
        foreach (var shard in local)
        {
            if (map.Shards.TryGetValue(shard, out var replicas) && replicas.IsOn(_options.Node))
            {
                _absentSince.Remove(shard);
                continue;
            }
            if (!_absentSince.TryGetValue(shard, out var since))
            {
                _absentSince[shard] = since = now;
            }
            if (now - since >= _options.RemovedReplicaGrace)
            {
                stop.Add(shard);
                _absentSince.Remove(shard);
            }
        }
        foreach (var gone in _absentSince.Keys.Where(shard => !local.Contains(shard)).ToList())
        {
            _absentSince.Remove(gone);
        }
        return stop;
    }
}
