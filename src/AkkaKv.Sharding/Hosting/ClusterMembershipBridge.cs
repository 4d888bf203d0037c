using Akka.Actor;
using Akka.Cluster;
using AkkaKv.Sharding.Placement;
using Microsoft.Extensions.Logging;

namespace AkkaKv.Sharding.Hosting;

/// <summary>
/// Akka.Cluster's membership to the node's sharding: subscribes to member and reachability events, keeps the members
/// it has seen, and after each change applies what <see cref="MembershipReactions"/> decides — peers' addresses to the
/// Raft transport, a wake-up to the replicas, the nodes to the placement (when a placement host is given), and the
/// one bootstrap of a cluster this node formed. A member without an <c>akkakv-node:</c> role (another Akka.NET
/// application in the cluster) is ignored.
/// </summary>
public sealed partial class ClusterMembershipBridge : UntypedActor
{
    /// <summary>The role prefix naming a member's AkkaKv node (see the generated Akka.NET configuration).</summary>
    public const string NodeRolePrefix = "akkakv-node:";

    /// <summary>
    /// The role prefix carrying a member's node id (<c>akkakv-id:N</c>), which belongs to its data directory and may
    /// differ from the hash of its name (a directory written before ids were kept); without it the id is the name's hash.
    /// </summary>
    public const string NodeIdRolePrefix = "akkakv-id:";

    private readonly MembershipReactions _reactions;
    private readonly AkkaRaftTransport _transport;
    private readonly PeerDirectory _peers;
    private readonly IActorRef _replicas;
    private readonly IActorRef? _placement;
    private readonly object _bootstrap;
    private readonly ILogger _log;
    private readonly Dictionary<UniqueAddress, Member> _members = [];
    private readonly HashSet<UniqueAddress> _unreachable = [];

    /// <summary>Used by Akka.NET through <see cref="Props"/> (its activator needs a public constructor).</summary>
    public ClusterMembershipBridge(NodeId self, AkkaRaftTransport transport, PeerDirectory peers, IActorRef replicas, IActorRef? placement, object bootstrap, ILoggerFactory logging)
    {
        ArgumentNullException.ThrowIfNull(logging);
        (_reactions, _transport, _peers, _replicas, _placement, _bootstrap) = (new MembershipReactions(self), transport, peers, replicas, placement, bootstrap);
        _log = logging.CreateLogger<ClusterMembershipBridge>();
    }

    /// <summary>
    /// A bridge for node <paramref name="self"/>, keeping <paramref name="peers"/>; <paramref name="bootstrap"/> (a
    /// <see cref="BootstrapCluster"/>) goes to <paramref name="replicas"/> when this node forms a cluster.
    /// </summary>
    public static Props Props(NodeId self, AkkaRaftTransport transport, PeerDirectory peers, IActorRef replicas, IActorRef? placement, object bootstrap, ILoggerFactory logging)
    {
        ArgumentNullException.ThrowIfNull(transport);
        ArgumentNullException.ThrowIfNull(peers);
        ArgumentNullException.ThrowIfNull(replicas);
        ArgumentNullException.ThrowIfNull(bootstrap);
        return Akka.Actor.Props.Create(() => new ClusterMembershipBridge(self, transport, peers, replicas, placement, bootstrap, logging));
    }

    /// <summary>The AkkaKv node a member runs, from its <c>akkakv-node:NAME</c> role; null for another application's member.</summary>
    public static NodeId? NodeOf(Member member)
    {
        if (NameOf(member) is not { } name)
        {
            return null;
        }
        foreach (var role in member.Roles)
        {
            if (role.StartsWith(NodeIdRolePrefix, StringComparison.Ordinal)
                && ulong.TryParse(role.AsSpan(NodeIdRolePrefix.Length), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var id) && id != 0)
            {
                return new NodeId(id);
            }
        }
        return NodeId.FromName(name);
    }

    /// <summary>The name of the AkkaKv node a member runs, from its <c>akkakv-node:NAME</c> role; null for another application's member.</summary>
    public static string? NameOf(Member member)
    {
        ArgumentNullException.ThrowIfNull(member);
        foreach (var role in member.Roles)
        {
            if (role.StartsWith(NodeRolePrefix, StringComparison.Ordinal) && role.Length > NodeRolePrefix.Length)
            {
                return role[NodeRolePrefix.Length..];
            }
        }
        return null;
    }

    protected override void PreStart() =>
        Akka.Cluster.Cluster.Get(Context.System).Subscribe(Self, ClusterEvent.SubscriptionInitialStateMode.InitialStateAsSnapshot,
            typeof(ClusterEvent.IMemberEvent), typeof(ClusterEvent.IReachabilityEvent));

    protected override void PostStop() => Akka.Cluster.Cluster.Get(Context.System).Unsubscribe(Self);

    protected override void OnReceive(object message)
    {
        switch (message)
        {
            case ClusterEvent.CurrentClusterState state:
                _members.Clear();
                _unreachable.Clear();
                foreach (var member in state.Members)
                {
                    _members[member.UniqueAddress] = member;
                }
                foreach (var member in state.Unreachable)
                {
                    _unreachable.Add(member.UniqueAddress);
                }
                break;
            case ClusterEvent.MemberRemoved removed:
                _members[removed.Member.UniqueAddress] = removed.Member; // reported once as removed, then forgotten
                break;
            case ClusterEvent.IMemberEvent changed:
                _members[changed.Member.UniqueAddress] = changed.Member;
                break;
            case ClusterEvent.UnreachableMember unreachable:
                _unreachable.Add(unreachable.Member.UniqueAddress);
                break;
            case ClusterEvent.ReachableMember reachable:
                _unreachable.Remove(reachable.Member.UniqueAddress);
                break;
            case ClusterBootstrapped outcome:
                LogBootstrapOutcome(outcome.Bootstrapped ? "bootstrapped" : "not bootstrapped", outcome.Reason);
                return;
            default:
                Unhandled(message);
                return;
        }
        React();
        foreach (var gone in _members.Where(pair => pair.Value.Status == MemberStatus.Removed).Select(pair => pair.Key).ToList())
        {
            _members.Remove(gone);
            _unreachable.Remove(gone);
        }
    }

    private void React()
    {
        var observed = new List<ObservedMember>(_members.Count);
        var names = new Dictionary<NodeId, string>();
        foreach (var member in _members.Values)
        {
            if (NodeOf(member) is { } node)
            {
                names[node] = NameOf(member)!;
                observed.Add(new ObservedMember(node, member.Address.ToString(), member.UniqueAddress.Uid, PhaseOf(member.Status), !_unreachable.Contains(member.UniqueAddress)));
            }
        }
        var reaction = _reactions.Observe(observed);
        foreach (var (node, address) in reaction.AddressChanges)
        {
            var parsed = address is null ? null : Address.Parse(address);
            _peers.Set(node, names.GetValueOrDefault(node, node.ToString()), parsed);
            _transport.SetPeerAddress(node, parsed);
        }
        if (reaction.WakeReplicas)
        {
            _replicas.Tell(WakeReplicas.Instance);
        }
        _placement?.Tell(new NodesObserved(reaction.Nodes));
        if (reaction.Bootstrap)
        {
            LogBootstrap();
            _replicas.Tell(_bootstrap);
        }
    }

    private static MemberPhase PhaseOf(MemberStatus status) => status switch
    {
        MemberStatus.Joining => MemberPhase.Joining,
        MemberStatus.WeaklyUp => MemberPhase.WeaklyUp,
        MemberStatus.Up => MemberPhase.Up,
        MemberStatus.Leaving => MemberPhase.Leaving,
        MemberStatus.Exiting => MemberPhase.Exiting,
        MemberStatus.Down => MemberPhase.Down,
        _ => MemberPhase.Removed,
    };

    [LoggerMessage(Level = LogLevel.Information, Message = "This node formed a new cluster: bootstrapping the groups")]
    private partial void LogBootstrap();

    [LoggerMessage(Level = LogLevel.Information, Message = "Cluster bootstrap: {Outcome} ({Reason})")]
    private partial void LogBootstrapOutcome(string outcome, string reason);
}
