using AkkaKv.Actors;
using AkkaKv.Cluster;
using AkkaKv.Sharding;
using AkkaKv.Sharding.Placement;

namespace AkkaKv.Node;

/// <summary>
/// Tells placement what the membership looks like: every half second, the cluster's table as placement states (Up
/// and reachable ⇒ active; leaving or exiting ⇒ leaving; unreachable or downed ⇒ unreachable, replaced after
/// <c>replace-down-after</c>; joining and removed members are not listed) to the node's <see cref="PlacementHost"/>.
/// When this node formed the cluster (the first seed, with no other seed in a cluster) it asks the replica manager,
/// once, to bootstrap the groups — which it refuses for a disk that belonged to a cluster. When the membership changes
/// (a member's status, reachability or incarnation) it wakes the node's quiescent replicas: a sleeping follower does
/// not notice a dead leader by itself, and a restarted one needs its leader's heartbeats.
/// </summary>
internal sealed partial class PlacementMembership(IActorRef cluster, IActorRef host, IActorRef replicas, BootstrapCluster bootstrap) : Actor
{
    private bool _bootstrapAsked;
    private string _membership = "";

    public static Props Props(IActorRef cluster, IActorRef host, IActorRef replicas, BootstrapCluster bootstrap) =>
        Actors.Props.Create(() => new PlacementMembership(cluster, host, replicas, bootstrap));

    protected override void PreStart()
    {
        Timers.StartPeriodicTimer("observe", Observe.Instance, TimeSpan.FromMilliseconds(500));
        Self.Tell(Observe.Instance);
    }

    protected override void Receive(object message)
    {
        switch (message)
        {
            case Observe:
                cluster.Ask<ClusterStateReply>(new GetClusterState(), TimeSpan.FromSeconds(5)).PipeTo(Self, failure: _ => Ignored.Instance);
                break;
            case ClusterStateReply reply:
                OnState(reply);
                break;
            case ClusterBootstrapped done:
                LogBootstrap(Log, done.Bootstrapped, done.Reason);
                break;
            case Ignored:
                break;
            default:
                Unhandled(message);
                break;
        }
    }

    private void OnState(ClusterStateReply reply)
    {
        var state = reply.State;
        var nodes = new List<PlacementNode>();
        foreach (var node in state.Members.Values.Select(member => member.Node).Distinct())
        {
            if (state.Current(node) is not { } member || PlacementState(member.Status, state.IsReachable(node)) is not { } placement)
            {
                continue;
            }
            nodes.Add(new PlacementNode(node, placement));
        }
        host.Tell(new NodesObserved(nodes));
        var membership = string.Join(';', state.Members.Values
            .OrderBy(member => member.Node.Value)
            .Select(member => $"{member.Node.Value}/{member.Incarnation}/{member.Status}/{state.IsReachable(member.Node)}"));
        if (membership != _membership)
        {
            _membership = membership;
            replicas.Tell(WakeReplicas.Instance);
        }
        if (!_bootstrapAsked && reply.FormedCluster)
        {
            _bootstrapAsked = true;
            replicas.Tell(bootstrap);
        }
    }

    private static PlacementNodeState? PlacementState(MemberStatus status, bool reachable) => status switch
    {
        MemberStatus.Up or MemberStatus.WeaklyUp => reachable ? PlacementNodeState.Active : PlacementNodeState.Unreachable,
        MemberStatus.Leaving or MemberStatus.Exiting => reachable ? PlacementNodeState.Leaving : PlacementNodeState.Unreachable,
        MemberStatus.Down => PlacementNodeState.Unreachable,
        _ => null,
    };

    [LoggerMessage(Level = LogLevel.Information, Message = "This node formed a new cluster; groups bootstrapped here: {Bootstrapped} ({Reason})")]
    private static partial void LogBootstrap(ILogger logger, bool bootstrapped, string reason);

    private sealed record Observe
    {
        public static readonly Observe Instance = new();
    }

    private sealed record Ignored
    {
        public static readonly Ignored Instance = new();
    }
}
