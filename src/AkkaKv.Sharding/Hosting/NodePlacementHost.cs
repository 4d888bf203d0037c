using Akka.Actor;
using AkkaKv.Sharding.Placement;

namespace AkkaKv.Sharding.Hosting;

/// <summary>
/// The Akka.NET actor of a node's part in placement (at <see cref="Path"/>): a thin shell over
/// <see cref="NodePlacement"/>, which makes every decision. Each check it lists the local replicas and asks the local
/// placement replica's status, and runs the coordinator as a watched child (<c>coordinator-{term}</c>) while that
/// replica leads; it hears the coordinator's events on the event stream, publishes its configurations to the other
/// nodes' hosts, takes theirs, stops local replicas the configuration no longer lists, and answers
/// <see cref="GetPlacementEvents"/>. A coordinator that fails is stopped, and a new one started on a later check.
/// </summary>
public sealed class NodePlacementHost : UntypedActor, IWithTimers
{
    /// <summary>The actor's name under <c>/user</c>.</summary>
    public const string Name = "placement";

    /// <summary>The actor's path under the node's address.</summary>
    public const string Path = "/user/" + Name;

    private readonly PlacementHostOptions _options;
    private readonly IActorRef _replicas;
    private readonly Func<Props> _coordinatorProps;
    private readonly Func<Task<ShardReply?>> _placementStatus;
    private readonly Func<NodeId, IActorRef?> _hostOf;
    private readonly Action<NodeId> _drained;
    private readonly NodePlacement _placement;
    private IActorRef? _coordinator;

    /// <summary>Used by Akka.NET through <see cref="Props"/> (its activator needs a public constructor).</summary>
    public NodePlacementHost(PlacementHostOptions options, IActorRef replicas, ShardMapCache cache, Func<Props> coordinatorProps, Func<Task<ShardReply?>> placementStatus, Func<NodeId, IActorRef?> hostOf, Action<NodeId> drained, TimeProvider time)
    {
        (_options, _replicas, _coordinatorProps, _placementStatus, _hostOf, _drained) = (options, replicas, coordinatorProps, placementStatus, hostOf, drained);
        _placement = new NodePlacement(options, cache, time);
    }

    /// <summary>Set by Akka.NET before <see cref="PreStart"/>.</summary>
    public ITimerScheduler Timers { get; set; } = null!;

    /// <summary>
    /// A host over the node's <paramref name="replicas"/> manager. <paramref name="coordinatorProps"/> makes the
    /// coordinator (its store on the local placement replica), <paramref name="placementStatus"/> asks that replica for
    /// its status; <paramref name="hostOf"/> finds another node's host; <paramref name="drained"/> is called when a
    /// node being drained holds nothing more (it should leave the cluster).
    /// </summary>
    public static Props Props(PlacementHostOptions options, IActorRef replicas, ShardMapCache cache, Func<Props> coordinatorProps, Func<Task<ShardReply?>> placementStatus, Func<NodeId, IActorRef?> hostOf, Action<NodeId> drained, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(replicas);
        ArgumentNullException.ThrowIfNull(cache);
        ArgumentNullException.ThrowIfNull(coordinatorProps);
        ArgumentNullException.ThrowIfNull(placementStatus);
        ArgumentNullException.ThrowIfNull(hostOf);
        ArgumentNullException.ThrowIfNull(drained);
        ArgumentNullException.ThrowIfNull(time);
        return Akka.Actor.Props.Create(() => new NodePlacementHost(options, replicas, cache, coordinatorProps, placementStatus, hostOf, drained, time));
    }

    /// <summary>A coordinator that fails is stopped (not restarted in place); a later check starts a new one.</summary>
    protected override SupervisorStrategy SupervisorStrategy() => Akka.Actor.SupervisorStrategy.StoppingStrategy;

    protected override void PreStart()
    {
        Context.System.EventStream.Subscribe(Self, typeof(PlacementEvent));
        Timers.StartPeriodicTimer("check", Check.Instance, _options.CheckInterval);
        Timers.StartPeriodicTimer("publish", Publish.Instance, _options.PublishInterval);
    }

    protected override void PostStop() => Context.System.EventStream.Unsubscribe(Self);

    protected override void OnReceive(object message)
    {
        switch (message)
        {
            case Check:
                _replicas.Ask<LocalReplicas>(GetLocalReplicas.Instance, _options.AskTimeout)
                    .PipeTo(Self, success: local => new LocalReplicasSeen(local.Shards), failure: _ => Ignored.Instance);
                break;
            case LocalReplicasSeen seen: OnLocalReplicas(seen.Replicas); break;
            case PlacementStatusSeen seen: OnPlacementStatus(seen.Status); break;
            case ShardMapChanged changed: Broadcast(_placement.OnShardMapChanged(changed)); break;
            case ShardMapPublished published: _placement.OnShardMapPublished(published); break;
            case Publish: Broadcast(_placement.OnPublishTimer()); break;
            case NodesObserved observed: OnNodesObserved(observed); break;
            case NodeDrained drained: OnNodeDrained(drained); break;
            case PlacementEvent placementEvent: _placement.Record(placementEvent); break;
            case GetPlacementEvents get: OnGetPlacementEvents(get); break;
            case Terminated terminated when terminated.ActorRef.Equals(_coordinator):
                _coordinator = null;
                _placement.OnCoordinatorStopped();
                break;
            case Terminated or Ignored or ReplicaStopped: break;
            default: Unhandled(message); break;
        }
    }

    private void OnNodesObserved(NodesObserved observed)
    {
        if (_placement.OnNodesObserved(observed))
        {
            _coordinator?.Tell(observed);
        }
    }

    private void OnNodeDrained(NodeDrained drained)
    {
        if (_placement.OnNodeDrained(drained))
        {
            _drained(drained.Node);
        }
    }

    private void OnLocalReplicas(IReadOnlyCollection<ShardId> local)
    {
        var decision = _placement.OnLocalReplicas(local);
        if (decision.AskPlacementStatus)
        {
            _placementStatus().PipeTo(Self, success: reply => new PlacementStatusSeen(reply as ShardStatus), failure: _ => new PlacementStatusSeen(null));
        }
        if (decision.StopCoordinator)
        {
            StopCoordinator();
        }
        foreach (var shard in decision.ReplicasToStop)
        {
            _replicas.Tell(new StopReplica(shard));
        }
    }

    private void OnPlacementStatus(ShardStatus? status)
    {
        switch (_placement.OnPlacementStatus(status))
        {
            case NodePlacement.CoordinatorChange.Start when status is { } leading: // only a leader's status starts one
                _coordinator = Context.Watch(Context.ActorOf(_coordinatorProps(), $"coordinator-{leading.Term.Value}"));
                if (_placement.NodesForNewCoordinator is { } nodes)
                {
                    _coordinator.Tell(nodes);
                }
                break;
            case NodePlacement.CoordinatorChange.Stop:
                StopCoordinator();
                break;
            default:
                break;
        }
    }

    private void StopCoordinator()
    {
        if (_coordinator is { } coordinator)
        {
            Context.Unwatch(coordinator);
            Context.Stop(coordinator);
            _coordinator = null;
        }
    }

    private void Broadcast(ShardMapPublished? published)
    {
        if (published is null)
        {
            return;
        }
        foreach (var node in _placement.Peers)
        {
            _hostOf(node)?.Tell(published);
        }
    }

    private void OnGetPlacementEvents(GetPlacementEvents get)
    {
        if (_placement.ForwardEventsTo(get) is { } node && _hostOf(node) is { } coordinatorHost)
        {
            coordinatorHost.Tell(get with { Forwarded = true }, Sender);
        }
        else
        {
            Sender.Tell(_placement.Events(get));
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

    private sealed record PlacementStatusSeen(ShardStatus? Status);
}
