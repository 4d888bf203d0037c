using System.Net;
using System.Net.Sockets;
using AkkaKv.Actors;
using AkkaKv.Cluster;
using AkkaKv.Hosting.Options;
using AkkaKv.Remote;
using AkkaKv.Sharding.Remoting;

namespace AkkaKv.Node;

/// <summary>
/// The node's place in the cluster: its TCP transport to the peers (bound when the node is built, so a port in use
/// fails the start with one line) and its <see cref="ClusterActor"/> (started with the actor system). The node's id
/// comes with its data directory (<see cref="NodeIdentity"/>); its incarnation is the start time, so a restarted
/// process is a new member that replaces the old one.
/// </summary>
internal sealed class NodeCluster : IAsyncDisposable
{
    private readonly RemoteClusterTransport _clusterTransport;
    private IActorRef? _actor;

    private readonly string _clusterName;

    private NodeCluster(TcpNodeTransport transport, RemoteClusterTransport clusterTransport, Member self, ClusterOptions options, string clusterName, MemberDirectory directory)
    {
        _clusterName = clusterName;
        Directory = directory;
        Transport = transport;
        _clusterTransport = clusterTransport;
        Self = self;
        Options = options;
    }

    public TcpNodeTransport Transport { get; }

    /// <summary>Where Raft messages from peers go.</summary>
    public required RaftInbox Inbox { get; init; }

    /// <summary>The cluster's name (in every remote actor path).</summary>
    public string Name => _clusterName;

    /// <summary>The live members by node id, as this node's membership agent last saw them.</summary>
    public MemberDirectory Directory { get; }

    /// <summary>This node's member (its first incarnation).</summary>
    public Member Self { get; }

    public ClusterOptions Options { get; }

    /// <summary>Remote actor references (<c>akkakv://&lt;cluster&gt;@host:port/user/...</c>), once the actor system runs.</summary>
    public RemoteActorProvider? ActorRefs { get; private set; }

    /// <summary>The cluster actor, once the actor system runs.</summary>
    public IActorRef Actor => _actor ?? throw new InvalidOperationException("the cluster has not started");

    /// <summary>Binds the peer port and prepares the membership agent; throws <see cref="IOException"/> when the port is taken.</summary>
    public static NodeCluster Bind(NodeId id, NodeOptions node, RemoteSettings remote, RemoteTlsSettings tls, ClusterSettings cluster,
        FailureDetectorSettings detector, SplitBrainResolverSettings resolver, ILoggerFactory loggers)
    {
        var incarnation = (ulong)DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        var listen = new IPEndPoint(ListenAddress.Resolve(remote.Hostname, "akkakv.remote.hostname"), remote.Port);
        var clusterTransport = new RemoteClusterTransport(loggers.CreateLogger<RemoteClusterTransport>());
        var options = new TcpTransportOptions
        {
            Cluster = cluster.Name,
            Node = id,
            Incarnation = incarnation,
            Listen = listen,
            MaxFrameBytes = (int)Math.Min(int.MaxValue, remote.MaxFrameSize.Bytes),
            SendQueueCapacity = remote.SendQueueCapacity,
            MinReconnectDelay = remote.MinReconnectDelay,
            MaxReconnectDelay = remote.MaxReconnectDelay,
            HandshakeTimeout = remote.HandshakeTimeout,
            TestMode = remote.TestMode,
            AdvertisedHost = remote.AdvertisedHost,
            Tls = tls.Enabled ? TlsSettings.FromPemFiles(tls.Certificate, tls.PrivateKey, tls.TrustedAuthorities) : null,
        };
        // Raft peers are found through the membership; Raft frames from them go to the node's replica manager once it
        // runs (before that, a peer's message is dropped as if lost, which Raft tolerates).
        var directory = new MemberDirectory();
        var inbox = new RaftInbox();
        var transport = new TcpNodeTransport(options, directory.AddressOf, inbox.Deliver, loggers.CreateLogger<TcpNodeTransport>(), clusterTransport.Deliver);
        try
        {
            transport.Start();
        }
        catch (SocketException error)
        {
            throw new IOException($"cannot listen for peers on {listen} (akkakv.remote): {error.Message}", error);
        }
        var address = transport.Address;
        var self = new Member(id, node.Name, incarnation, address, MemberStatus.Joining, [.. cluster.Roles]);
        var clusterOptions = new ClusterOptions
        {
            Seeds = cluster.SeedNodes.Count > 0 ? [.. cluster.SeedNodes] : [address],
            SeedNodeTimeout = cluster.SeedNodeTimeout,
            GossipInterval = cluster.GossipInterval,
            MonitoredByNrOfMembers = cluster.MonitoredByNrOfMembers,
            RejoinWhenDowned = cluster.RejoinWhenDowned,
            FailureDetector = new PhiAccrualOptions
            {
                Threshold = detector.Threshold,
                MaxSampleSize = detector.MaxSampleSize,
                MinStdDeviation = detector.MinStdDeviation,
                AcceptableHeartbeatPause = detector.AcceptableHeartbeatPause,
                HeartbeatInterval = detector.HeartbeatInterval,
            },
            Downing = resolver.ActiveStrategy switch
            {
                "static-quorum" => DowningStrategy.StaticQuorum,
                "keep-oldest" => DowningStrategy.KeepOldest,
                "down-all" => DowningStrategy.DownAll,
                _ => DowningStrategy.KeepMajority,
            },
            StaticQuorum = resolver.StaticQuorumSize,
            StableAfter = resolver.StableAfter,
        };
        return new NodeCluster(transport, clusterTransport, self, clusterOptions, cluster.Name, directory) { Inbox = inbox };
    }

    /// <summary>Starts the membership agent under <c>/user/cluster</c>.</summary>
    public IActorRef Start(ActorSystem system)
    {
        _actor = system.ActorOf(ClusterActor.Props(Self, Options, _clusterTransport, Directory), "cluster");
        _clusterTransport.Attach(Transport, _actor);
        ActorRefs = new RemoteActorProvider(system, Transport, RemoteSerializers.CreateDefault().AddShardProtocol(), _clusterName, system.LoggerFactory.CreateLogger<RemoteActorProvider>());
        return _actor;
    }

    /// <summary>
    /// The actor at <paramref name="path"/> (e.g. <c>/user/replicas</c>) on <paramref name="node"/> — local or remote —
    /// or null when the node is not a live member or the actor system has not started.
    /// </summary>
    public IActorRef? ActorOn(NodeId node, string path)
    {
        if (ActorRefs is not { } refs || (node == Self.Node ? Transport.Address : Directory.AddressOf(node)) is not { } address)
        {
            return null;
        }
        var actor = refs.Resolve($"akkakv://{_clusterName}@{address}{path}");
        return ReferenceEquals(actor, refs.System.DeadLetters) ? null : actor;
    }

    public ValueTask DisposeAsync() => Transport.DisposeAsync();
}
