using Akka.Actor;
using AkkaSbrSettings = Akka.Cluster.SBR.SplitBrainResolverSettings;
using SplitBrainResolverProvider = Akka.Cluster.SBR.SplitBrainResolverProvider;
using Akka.Configuration;
using AkkaKv.Hosting.AkkaConfig;
using AkkaKv.Hosting.Options;
using AkkaKv.TestKit;
using AkkaCluster = Akka.Cluster.Cluster;
using IRemoteActorRefProvider = Akka.Remote.IRemoteActorRefProvider;

namespace AkkaKv.Hosting.Tests;

/// <summary>
/// AkkaKv's settings become the configuration Akka.NET runs on, read back through Akka.NET's own settings classes
/// (so a key Akka does not know, or a value it reads differently, fails here): remote endpoint and frame limit,
/// cluster seeds, roles and failure detector, and the split-brain resolver with AkkaKv's stable-after; a hostile role
/// or host name cannot inject configuration; a cluster name Akka cannot take is refused naming the setting; a node
/// with no seeds forms a cluster of one; and only a test-mode node runs the throttler and failure-injector transport
/// adapters.
/// </summary>
public sealed class AkkaConfigGeneratorTests
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);

    private static string Generate(RemoteSettings? remote = null, ClusterSettings? cluster = null, SplitBrainResolverSettings? sbr = null, FailureDetectorSettings? detector = null,
        ActorOptions? actor = null) =>
        AkkaConfigGenerator.Generate("n-east-1", remote ?? new RemoteSettings { Port = 0 }, cluster ?? new ClusterSettings { SeedNodes = ["127.0.0.1:1"] },
            detector ?? new FailureDetectorSettings(), sbr ?? new SplitBrainResolverSettings(), actor ?? new ActorOptions(), tls: false);

    private static async Task<T> WithSystem<T>(string config, Func<ActorSystem, T> read)
    {
        // Only reads settings: terminate without the coordinated leave of a cluster this system never joined.
        var system = ActorSystem.Create("akkakv", ConfigurationFactory.ParseString("akka.coordinated-shutdown.run-by-actor-system-terminate = off")
            .WithFallback(ConfigurationFactory.ParseString(config)).WithFallback(ConfigurationFactory.ParseString("akka.loglevel = ERROR")));
        try
        {
            return read(system);
        }
        finally
        {
            await system.Terminate().WaitAsync(Deadline);
        }
    }

    [Fact]
    public async Task Members_carry_the_builds_version_as_akkas_app_version()
    {
        var config = AkkaConfigGenerator.Generate("n-east-1", new RemoteSettings { Port = 0 }, new ClusterSettings { SeedNodes = ["127.0.0.1:1"] },
            new FailureDetectorSettings(), new SplitBrainResolverSettings(), new ActorOptions(), tls: false, new Version(2, 7, 1, 9));
        var version = await WithSystem(config, system => AkkaCluster.Get(system).Settings.AppVersion);
        Assert.Equal(Akka.Util.AppVersion.Create("2.7.1"), version);
    }

    [Fact]
    public async Task Actor_settings_reach_akka_as_set()
    {
        var actor = new ActorOptions { Throughput = 7, AskTimeout = TimeSpan.FromMilliseconds(1500), StashCapacity = 123, LogDeadLetters = 3, ShutdownPhaseTimeout = TimeSpan.FromSeconds(4) };
        var read = await WithSystem(Generate(actor: actor), system =>
        {
            var extended = (ExtendedActorSystem)system;
            return (Throughput: system.Dispatchers.DefaultDispatcherConfig.GetInt("throughput"), system.Settings.AskTimeout,
                Stash: extended.Mailboxes.StashCapacity(Akka.Dispatch.Dispatchers.DefaultDispatcherId, Akka.Dispatch.Mailboxes.DefaultMailboxId),
                system.Settings.LogDeadLetters, Phase: system.Settings.Config.GetTimeSpan("akka.coordinated-shutdown.default-phase-timeout"));
        });
        Assert.Equal((7, TimeSpan.FromMilliseconds(1500), 123, 3, TimeSpan.FromSeconds(4)), read);
    }

    [Theory]
    [InlineData(3, 3)]
    [InlineData(0, -1)] // one per processor, at least 2
    public async Task The_actors_run_on_a_dispatcher_of_dedicated_threads_of_the_configured_count_and_remoting_keeps_its_own(int configured, int expected)
    {
        if (expected < 0)
        {
            expected = Math.Max(2, Environment.ProcessorCount);
        }
        var read = await WithSystem(Generate(actor: new ActorOptions { DispatcherThreads = configured }), system =>
        {
            var dispatcher = system.Dispatchers.DefaultDispatcherConfig;
            // A message to an actor runs on one of the dispatcher's own threads, not on a thread-pool worker.
            var probe = system.ActorOf(Props.Create(() => new ThreadReporter()));
            var onPoolThread = probe.Ask<bool>("which thread?", TimeSpan.FromSeconds(10)).GetAwaiter().GetResult();
            return (dispatcher.GetString("executor"), dispatcher.GetInt("fork-join-executor.parallelism-min"), dispatcher.GetInt("fork-join-executor.parallelism-max"),
                system.Settings.Config.GetString("akka.remote.use-dispatcher"), onPoolThread);
        });
        Assert.Equal(("fork-join-executor", expected, expected, "akka.remote.default-remote-dispatcher", false), read); // remoting keeps its own
    }

    private sealed class ThreadReporter : ReceiveActor
    {
        public ThreadReporter() => Receive<string>(_ => Sender.Tell(Thread.CurrentThread.IsThreadPoolThread));
    }

    [Fact]
    public async Task Cluster_settings_reach_akka_cluster_as_set()
    {
        var cluster = new ClusterSettings
        {
            SeedNodes = ["10.0.0.1:2551", "node-b.example:2552"],
            Roles = ["edge", "ssd"],
            GossipInterval = TimeSpan.FromMilliseconds(700),
            SeedNodeTimeout = TimeSpan.FromSeconds(9),
            MonitoredByNrOfMembers = 4,
        };
        var detector = new FailureDetectorSettings { Threshold = 10.5, AcceptableHeartbeatPause = TimeSpan.FromSeconds(4), HeartbeatInterval = TimeSpan.FromMilliseconds(800) };
        var settings = await WithSystem(Generate(cluster: cluster, detector: detector), system => AkkaCluster.Get(system).Settings);
        Assert.Equal(["akka.tcp://akkakv@10.0.0.1:2551", "akka.tcp://akkakv@node-b.example:2552"], settings.SeedNodes.Select(address => address.ToString()));
        Assert.Equal(["akkakv", "akkakv-node:n-east-1", "edge", "ssd"], settings.Roles.Order(StringComparer.Ordinal));
        Assert.Equal(TimeSpan.FromMilliseconds(700), settings.GossipInterval);
        Assert.Equal(TimeSpan.FromSeconds(9), settings.SeedNodeTimeout);
        Assert.Equal(4, settings.MonitoredByNrOfMembers);
        Assert.Equal(TimeSpan.FromMilliseconds(800), settings.HeartbeatInterval);
        Assert.Equal(10.5, settings.FailureDetectorConfig.GetDouble("threshold"));
        Assert.Equal(TimeSpan.FromSeconds(4), settings.FailureDetectorConfig.GetTimeSpan("acceptable-heartbeat-pause"));
        Assert.True(settings.RunCoordinatedShutdownWhenDown);
        Assert.Equal(typeof(SplitBrainResolverProvider), settings.DowningProviderType);
    }

    [Theory]
    [InlineData("keep-majority", 0)]
    [InlineData("static-quorum", 3)]
    [InlineData("keep-oldest", 0)]
    [InlineData("down-all", 0)]
    public async Task The_split_brain_resolver_runs_the_chosen_strategy_after_akkakvs_stable_after(string strategy, int quorum)
    {
        var sbr = new SplitBrainResolverSettings { ActiveStrategy = strategy, StaticQuorumSize = quorum };
        var settings = await WithSystem(Generate(sbr: sbr), system => new AkkaSbrSettings(system.Settings.Config));
        Assert.Equal(strategy, settings.DowningStrategy);
        Assert.Equal(TimeSpan.FromSeconds(8), settings.DowningStableAfter); // AkkaKv's default, not Akka's 20 s
        if (quorum > 0)
        {
            Assert.Equal(quorum, settings.StaticQuorumSettings.Size);
        }
    }

    [Fact]
    public async Task Remote_settings_reach_dot_netty()
    {
        var remote = new RemoteSettings { Hostname = "0.0.0.0", PublicHostname = "node-a.example", Port = 0, MaxFrameSize = Hocon.ByteSize.FromMebibytes(80), HandshakeTimeout = TimeSpan.FromSeconds(3),
            RetryGateClosedFor = TimeSpan.FromMilliseconds(750) };
        var (config, gate) = await WithSystem(Generate(remote: remote), system =>
            (system.Settings.Config, ((IRemoteActorRefProvider)((ExtendedActorSystem)system).Provider).RemoteSettings.RetryGateClosedFor));
        Assert.Equal(TimeSpan.FromMilliseconds(750), gate);
        Assert.Equal("0.0.0.0", config.GetString("akka.remote.dot-netty.tcp.hostname"));
        Assert.Equal("node-a.example", config.GetString("akka.remote.dot-netty.tcp.public-hostname"));
        Assert.Equal(80L * 1024 * 1024, config.GetByteSize("akka.remote.dot-netty.tcp.maximum-frame-size"));
        Assert.False(config.GetBoolean("akka.remote.dot-netty.tcp.enable-ssl"));
        Assert.Equal(TimeSpan.FromSeconds(3), config.GetTimeSpan("akka.remote.handshake-timeout"));
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Only_test_mode_applies_the_throttler_and_failure_injector_adapters(bool testMode)
    {
        var remote = new RemoteSettings { Port = 0, TestMode = testMode };
        // As Akka.Remote read them to build its transport, and starts with them.
        var applied = await WithSystem(Generate(remote: remote), system =>
            Assert.IsAssignableFrom<IRemoteActorRefProvider>(((ExtendedActorSystem)system).Provider).RemoteSettings.Transports.Single().Adapters);
        // Akka keeps them innermost first (the reverse of the HOCON list): the failure injector wraps DotNetty, the throttler wraps it.
        string[] expected = testMode ? ["gremlin", "trttl"] : [];
        Assert.Equal(expected, applied);
    }

    [Theory]
    [InlineData(true, "akka.trttl.gremlin.tcp")]
    [InlineData(false, "akka.tcp")]
    public async Task Seeds_are_addressed_by_the_protocol_the_transport_runs(bool testMode, string protocol)
    {
        // A seed named by another protocol than the adapted transport's is unreachable ("No transport is loaded").
        var config = Generate(remote: new RemoteSettings { Port = 0, TestMode = testMode }, cluster: new ClusterSettings { SeedNodes = ["127.0.0.1:2551"] });
        var seeds = await WithSystem(config, system => AkkaCluster.Get(system).Settings.SeedNodes);
        Assert.Equal([$"{protocol}://akkakv@127.0.0.1:2551"], seeds.Select(seed => seed.ToString()));
        var self = await WithSystem(config, system => AkkaCluster.Get(system).SelfAddress);
        Assert.Equal(protocol, self.Protocol);
    }

    [Theory]
    [InlineData("edge\"] akka.loglevel = DEBUG #")]
    [InlineData("line\nakka.loglevel = DEBUG")]
    [InlineData("back\\slash ${akka.loglevel}")]
    public async Task A_hostile_role_stays_one_role_and_injects_nothing(string role)
    {
        var cluster = new ClusterSettings { SeedNodes = ["127.0.0.1:1"], Roles = [role] };
        var (roles, logLevel) = await WithSystem(Generate(cluster: cluster), system => (AkkaCluster.Get(system).Settings.Roles, system.Settings.LogLevel));
        Assert.Contains(role, roles);
        Assert.Equal(3, roles.Count);
        Assert.Equal("ERROR", logLevel);
    }

    [Theory]
    [InlineData("akkakv.eu")]
    [InlineData("-akkakv")]
    public void A_cluster_name_akka_cannot_take_is_refused_naming_the_setting(string name)
    {
        var error = Assert.Throws<ConfigurationErrorsException>(() => Generate(cluster: new ClusterSettings { Name = name }));
        Assert.Contains("akkakv.cluster.name", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_node_without_seeds_forms_a_cluster_of_one()
    {
        var port = FreeTcpPort.Next();
        var config = Generate(remote: new RemoteSettings { Port = port }, cluster: new ClusterSettings());
        var system = ActorSystem.Create("akkakv", ConfigurationFactory.ParseString(config).WithFallback(ConfigurationFactory.ParseString("akka.loglevel = ERROR")));
        try
        {
            var up = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            AkkaCluster.Get(system).RegisterOnMemberUp(up.SetResult);
            await up.Task.WaitAsync(Deadline);
            var self = AkkaCluster.Get(system).SelfMember;
            Assert.Equal(port, self.Address.Port);
            Assert.Contains("akkakv-node:n-east-1", self.Roles);
        }
        finally
        {
            await system.Terminate().WaitAsync(Deadline);
        }
    }
}
