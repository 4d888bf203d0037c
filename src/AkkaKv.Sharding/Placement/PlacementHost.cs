using AkkaKv.Actors;
using AkkaKv.Raft;

namespace AkkaKv.Sharding.Placement;

/// <summary>
/// A node's part in placement (<c>/user/placement</c>): runs the <see cref="PlacementCoordinator"/> while this node's
/// replica of the placement group leads it (so the coordinator moves with that leadership, as a cluster singleton
/// does), spreads the coordinator's configurations to every node's host and takes theirs into the node's
/// <see cref="ShardMapCache"/>, passes the observed membership to the coordinator, and stops (and deletes) local
/// replicas the configuration no longer lists — after a grace period, since a replica being added is listed only
/// once its step is recorded.
/// </summary>
public sealed class PlacementHost : Actor
{
    private readonly PlacementHostOptions _options;
    private readonly IActorRef _replicas;
    private readonly ShardMapCache _cache;
    private readonly Func<Props> _coordinatorProps;
    private readonly Func<Task<ShardReply?>> _placementStatus;
    private readonly Func<NodeId, IActorRef?> _hostOf;
    private readonly Action<NodeId> _drained;
    private readonly Dictionary<ShardId, long> _absentSinceMs = [];
    private const int KeptEvents = 500;
    private readonly Queue<PlacementEventRecord> _events = new();
    private IReadOnlyList<PlacementNode> _nodes = [];
    private IActorRef? _coordinator;
    private long _coordinatorStoppedMs = long.MinValue / 2; // long ago, without overflow when subtracted
    private long _mapSeenMs = long.MinValue / 2; // long ago, without overflow when subtracted

    private PlacementHost(PlacementHostOptions options, IActorRef replicas, ShardMapCache cache, Func<Props> coordinatorProps, Func<Task<ShardReply?>> placementStatus, Func<NodeId, IActorRef?> hostOf, Action<NodeId> drained)
    {
        _options = options;
        _replicas = replicas;
        _cache = cache;
        _coordinatorProps = coordinatorProps;
        _placementStatus = placementStatus;
        _hostOf = hostOf;
        _drained = drained;
    }

    /// <summary>
    /// A host over the node's <paramref name="replicas"/> manager. <paramref name="coordinatorProps"/> makes the
    /// coordinator (its store on the local placement replica), <paramref name="placementStatus"/> asks that replica for
    /// its status; <paramref name="hostOf"/> finds another node's host;
    /// <paramref name="drained"/> is called when a node being drained holds nothing more (it should leave the cluster).
    /// </summary>
    public static Props Props(PlacementHostOptions options, IActorRef replicas, ShardMapCache cache, Func<Props> coordinatorProps, Func<Task<ShardReply?>> placementStatus, Func<NodeId, IActorRef?> hostOf, Action<NodeId> drained)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(replicas);
        ArgumentNullException.ThrowIfNull(cache);
        ArgumentNullException.ThrowIfNull(coordinatorProps);
        ArgumentNullException.ThrowIfNull(placementStatus);
        ArgumentNullException.ThrowIfNull(hostOf);
        ArgumentNullException.ThrowIfNull(drained);
        return Actors.Props.Create(() => new PlacementHost(options, replicas, cache, coordinatorProps, placementStatus, hostOf, drained));
    }

    private long NowMs => Context.System.TimeProvider.GetUtcNow().ToUnixTimeMilliseconds();

    /// <summary>A coordinator that fails is stopped, and a new one (loading the stored configuration) started on the next check.</summary>
    protected override SupervisorStrategy SupervisorStrategy => SupervisorStrategy.StoppingStrategy;

    protected override void PreStart()
    {
        Context.System.EventStream.Subscribe(Self, typeof(PlacementEvent));
        Timers.StartPeriodicTimer("check", Check.Instance, _options.CheckInterval);
        Timers.StartPeriodicTimer("publish", Publish.Instance, _options.PublishInterval);
    }

    protected override void PostStop() => Context.System.EventStream.Unsubscribe(Self);

    protected override void Receive(object message)
    {
        switch (message)
        {
            case Check:
                _replicas.Ask<LocalReplicas>(GetLocalReplicas.Instance, _options.AskTimeout)
                    .PipeTo(Self, success: local => new LocalReplicasSeen(local.Shards), failure: _ => Ignored.Instance);
                break;
            case LocalReplicasSeen seen:
                OnLocalReplicas(seen.Replicas);
                break;
            case PlacementReplicaSeen seen:
                OnPlacementReplica(seen.Status);
                break;
            case ShardMapChanged changed when _coordinator is not null:
                _cache.Offer(changed.Map, _options.Node);
                _mapSeenMs = NowMs;
                Broadcast(changed.Map);
                break;
            case ShardMapChanged:
                break; // a coordinator stopped here; its last configuration is already published
            case ShardMapPublished published when published.Coordinator != _options.Node:
                _cache.Offer(published.Map, published.Coordinator);
                _mapSeenMs = NowMs;
                break;
            case ShardMapPublished:
                break;
            case Publish when _coordinator is not null && _cache.Current is { } map && _cache.Coordinator == _options.Node:
                Broadcast(map);
                break;
            case Publish:
                break;
            case NodesObserved observed:
                _nodes = observed.Nodes;
                _coordinator?.Tell(observed);
                break;
            case NodeDrained drained when _coordinator is not null:
                Record(drained);
                _drained(drained.Node);
                break;
            case PlacementEvent placementEvent:
                Record(placementEvent);
                break;
            case GetPlacementEvents get when _coordinator is null && !get.Forwarded && _hostOf(_cache.Coordinator) is { } coordinatorHost:
                coordinatorHost.Tell(get with { Forwarded = true }, Sender);
                break;
            case GetPlacementEvents get:
                Sender.Tell(new PlacementEventList(_coordinator is null ? NodeId.None : _options.Node, [.. _events.Skip(Math.Max(0, _events.Count - get.Max))]));
                break;
            case Terminated terminated when terminated.Actor.Equals(_coordinator):
                _coordinator = null;
                _coordinatorStoppedMs = NowMs;
                break;
            case Terminated:
                break;
            case Ignored or ReplicaStopped:
                break;
            default:
                Unhandled(message);
                break;
        }
    }

    private void OnLocalReplicas(IReadOnlyCollection<ShardId> replicas)
    {
        if (replicas.Contains(_options.PlacementShard))
        {
            _placementStatus().PipeTo(Self, success: reply => new PlacementReplicaSeen(reply as ShardStatus), failure: _ => new PlacementReplicaSeen(null));
        }
        else
        {
            StopCoordinator();
        }
        CollectRemovedReplicas(replicas);
    }

    /// <summary>Runs the coordinator exactly while the local placement replica leads (a deposed one is stopped at once).</summary>
    private void OnPlacementReplica(ShardStatus? status)
    {
        if (status is not { Role: RaftRole.Leader })
        {
            StopCoordinator();
            return;
        }
        if (_coordinator is null && NowMs - _coordinatorStoppedMs >= _options.CheckInterval.TotalMilliseconds * 4)
        {
            _coordinator = Context.Watch(Context.ActorOf(_coordinatorProps(), $"coordinator-{status.Term.Value}"));
            if (_nodes.Count > 0)
            {
                _coordinator.Tell(new NodesObserved(_nodes));
            }
        }
    }

    /// <summary>Keeps the newest events (not the configurations themselves) for <see cref="GetPlacementEvents"/>.</summary>
    private void Record(PlacementEvent placementEvent)
    {
        if (placementEvent is ShardMapChanged)
        {
            return; // configurations are in GET /v1/shards and /v1/config/{n}
        }
        _events.Enqueue(new PlacementEventRecord(Context.System.TimeProvider.GetUtcNow(), placementEvent.GetType().Name, PlacementEventText.Describe(placementEvent)));
        while (_events.Count > KeptEvents)
        {
            _events.Dequeue();
        }
    }

    private void StopCoordinator()
    {
        if (_coordinator is { } coordinator)
        {
            Context.Unwatch(coordinator);
            Context.Stop(coordinator);
            _coordinator = null;
            _coordinatorStoppedMs = NowMs;
        }
    }

    private void Broadcast(ShardMap map)
    {
        var published = new ShardMapPublished(map, _options.Node);
        foreach (var node in _nodes.Where(node => node.Node != _options.Node && node.State != PlacementNodeState.Gone))
        {
            _hostOf(node.Node)?.Tell(published);
        }
    }

    /// <summary>
    /// Stops local replicas that a recently heard configuration has not listed for longer than the grace period (their
    /// data is deleted). A node cut off from the coordinators keeps everything.
    /// </summary>
    private void CollectRemovedReplicas(IEnumerable<ShardId> local)
    {
        var now = NowMs;
        if (_cache.Current is not { } map || now - _mapSeenMs > _options.PublishInterval.TotalMilliseconds * 3)
        {
            return; // only a configuration heard of lately can tell a replica is not wanted here
        }
        var present = new HashSet<ShardId>();
        foreach (var shard in local)
        {
            present.Add(shard);
            if (map.Shards.TryGetValue(shard, out var replicas) && replicas.IsOn(_options.Node))
            {
                _absentSinceMs.Remove(shard);
                continue;
            }
            var since = _absentSinceMs.TryGetValue(shard, out var first) ? first : _absentSinceMs[shard] = now;
            if (now - since >= _options.RemovedReplicaGrace.TotalMilliseconds)
            {
                _replicas.Tell(new StopReplica(shard));
                _absentSinceMs.Remove(shard);
            }
        }
        foreach (var gone in _absentSinceMs.Keys.Where(shard => !present.Contains(shard)).ToList())
        {
            _absentSinceMs.Remove(gone);
        }
    }

    private sealed record Check
    {
        public static readonly Check Instance = new();
    }

    private sealed record Publish
    {
        public static readonly Publish Instance = new();
    }

    private sealed record Ignored
    {
        public static readonly Ignored Instance = new();
    }

    private sealed record LocalReplicasSeen(IReadOnlyCollection<ShardId> Replicas);

    private sealed record PlacementReplicaSeen(ShardStatus? Status);
}
