using Akka.Actor;
using AkkaKv.Sharding.Hosting;
using AkkaCluster = Akka.Cluster.Cluster;

namespace AkkaKv.Node;

/// <summary>
/// The node on Akka.NET: its actor system (made by Akka.Hosting), its Akka.Cluster membership, the directory of the
/// cluster's AkkaKv nodes that membership keeps, the Raft transport and the client traffic to the peers and — in test
/// mode — the link faults.
/// </summary>
internal sealed class NodeRuntime
{
    /// <summary>The exit code of a node that stopped because the cluster downed it (a supervisor restarts it as a new incarnation).</summary>
    public const int DownedExitCode = 5;

    public NodeRuntime(ActorSystem system, NodeId self, string name, bool testMode, ILoggerFactory loggers)
    {
        System = system;
        Cluster = AkkaCluster.Get(system);
        Self = self;
        Name = name;
        Transport = new AkkaRaftTransport(system, self);
        Traffic = new ShardTraffic(system, self, Peers, Cluster.SelfUniqueAddress.Uid);
        if (Cluster.Settings.SeedNodes.Count == 0)
        {
            Cluster.Join(Cluster.SelfAddress); // a node on a port chosen at bind time, without seeds: a cluster of its own
        }
        Faults = testMode ? new AkkaLinkFaults(system, Transport, loggers.CreateLogger<AkkaLinkFaults>()) : null;
    }

    public ActorSystem System { get; }

    public AkkaCluster Cluster { get; }

    public NodeId Self { get; }

    /// <summary>This node's name (<c>akkakv.node.name</c>).</summary>
    public string Name { get; }

    /// <summary>The cluster's AkkaKv nodes as membership last reported them.</summary>
    public PeerDirectory Peers { get; } = new();

    public AkkaRaftTransport Transport { get; }

    /// <summary>Client requests to other nodes' replicas and the answers to theirs, batched per peer.</summary>
    public ShardTraffic Traffic { get; }

    /// <summary>Link faults (<c>akkakv.remote.test-mode = on</c> only).</summary>
    public AkkaLinkFaults? Faults { get; }

    /// <summary>Where <paramref name="node"/> runs now, or null when it is not a member.</summary>
    public Address? AddressOf(NodeId node) => node == Self ? Cluster.SelfAddress : Peers.AddressOf(node);

    /// <summary>The actor at <paramref name="path"/> (e.g. <c>/user/replicas</c>) on <paramref name="node"/>, or null when the node is not a member.</summary>
    public IActorRef? ActorOn(NodeId node, string path) =>
        AddressOf(node) is { } address ? ((ExtendedActorSystem)System).Provider.ResolveActorRef(address + path) : null;

    /// <summary>Lets <paramref name="node"/> leave the cluster (after its drain; no-op when it is not a member).</summary>
    public void Leave(NodeId node)
    {
        if (AddressOf(node) is { } address)
        {
            Cluster.Leave(address);
        }
    }

    /// <summary>
    /// Set when the process is told to stop (SIGTERM, Ctrl-C): Akka.Cluster then reports its own stop as a downing
    /// (<c>run-coordinated-shutdown-when-down</c>), which it is not.
    /// </summary>
    public bool StopRequested { get; set; }

    /// <summary>How the process should exit: 0 after a graceful leave or a stop, <see cref="DownedExitCode"/> when it was downed.</summary>
    public int ExitCode => !StopRequested && CoordinatedShutdown.Get(System).ShutdownReason is CoordinatedShutdown.ClusterDowningReason ? DownedExitCode : 0;
}
