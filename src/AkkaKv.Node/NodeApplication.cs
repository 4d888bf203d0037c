using Akka.Actor;
using Akka.Configuration;
using Akka.Hosting;
using AkkaKv.Gateway;
using AkkaKv.Hosting.AkkaConfig;
using AkkaKv.Hosting.Configuration;
using AkkaKv.Hosting.Options;
using AkkaKv.Persistence.Snapshots;
using AkkaKv.Persistence.Wal;
using AkkaKv.Sharding;
using AkkaKv.Sharding.Hosting;
using AkkaKv.Sharding.Remoting;
using Microsoft.Extensions.Options;

namespace AkkaKv.Node;

/// <summary>
/// Builds the node's web host: configuration layers (our HOCON front end, validated), the Akka.NET actor system through
/// Akka.Hosting (configuration generated from the typed settings), the node's actors, and the HTTP endpoints.
/// </summary>
internal static class NodeApplication
{
    /// <summary>
    /// A stop terminates the actor system without Akka's coordinated shutdown, whose cluster-leave phase would make every
    /// restart a leave (see <see cref="NodeAkkaService"/>); a leave or a down still runs it through Akka.Cluster.
    /// </summary>
    private const string StopWithoutLeaving = """
        akka.coordinated-shutdown.run-by-actor-system-terminate = off
        akka.coordinated-shutdown.run-by-clr-shutdown-hook = off
        """;

    /// <summary>The configured application, not yet started; throws on invalid configuration.</summary>
    public static WebApplication Build(NodeArguments arguments, Action<ILoggingBuilder>? logging = null)
    {
        // No appsettings file watcher: it would watch the working directory, where the data directory lives, and
        // wake on every WAL write. Configuration comes from HOCON, the environment and --set.
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions
        {
            Args = ["--hostBuilder:reloadConfigOnChange=false"],
            ContentRootPath = AppContext.BaseDirectory,
        });
        builder.Configuration.Sources.Clear();
        builder.Configuration.AddAkkaKvConfiguration(arguments.ConfigFile is null ? [] : [arguments.ConfigFile], arguments.Overrides);
        builder.Logging.ClearProviders();
        builder.Logging.AddSimpleConsole(ConfigureConsole);
        builder.Logging.AddFilter("Microsoft.AspNetCore", LogLevel.Warning);
        builder.Services.AddProblemDetails();
        // A failed start is reported by Program as one line; the host's own stack-trace dump would bury it.
        builder.Logging.AddFilter("Microsoft.Extensions.Hosting.Internal.Host", LogLevel.Critical);
        logging?.Invoke(builder.Logging);
        // Settings are validated here, before anything listens or writes, so a bad one fails the start cleanly.
        RetiredSettings.Refuse(builder.Configuration);
        var http = OptionsBinding.Bind<HttpOptions>(builder.Configuration, HttpOptions.Section);
        var node = OptionsBinding.Bind<NodeOptions>(builder.Configuration, NodeOptions.Section);
        var sharding = OptionsBinding.Bind<ShardingOptions>(builder.Configuration, ShardingOptions.Section);
        var raft = OptionsBinding.Bind<RaftSettings>(builder.Configuration, RaftSettings.Section);
        var persistence = OptionsBinding.Bind<PersistenceOptions>(builder.Configuration, PersistenceOptions.Section);
        var actor = OptionsBinding.Bind<ActorOptions>(builder.Configuration, ActorOptions.Section);
        var remote = OptionsBinding.Bind<RemoteSettings>(builder.Configuration, RemoteSettings.Section);
        var tls = OptionsBinding.Bind<RemoteTlsSettings>(builder.Configuration, RemoteTlsSettings.Section);
        var clusterSettings = OptionsBinding.Bind<ClusterSettings>(builder.Configuration, ClusterSettings.Section);
        var detector = OptionsBinding.Bind<FailureDetectorSettings>(builder.Configuration, FailureDetectorSettings.Section);
        var resolver = OptionsBinding.Bind<SplitBrainResolverSettings>(builder.Configuration, SplitBrainResolverSettings.Section);
        var dataDirectory = DataDirectory.Prepare(node.DataDir);
        var nodeId = NodeIdentity.Load(dataDirectory, node.Name);

        // The WAL is recovered now: a damaged log stops the start with its file and offset, before anything listens.
        using var startupLoggers = LoggerFactory.Create(startup =>
        {
            startup.AddSimpleConsole(ConfigureConsole);
            logging?.Invoke(startup); // a host that redirects logging redirects these too
        });
        var wal = NodeStorage.OpenWal(dataDirectory, persistence, startupLoggers);
        var snapshots = new FileSnapshotStore(Path.Combine(dataDirectory, "snapshots"), persistence.SnapshotsRetain);
        builder.Services.AddSingleton(_ => wal); // created by a factory, so the container disposes (flushes) it last
        builder.Services.AddSingleton<ISnapshotStore>(snapshots);
        // Akka.NET runs on a configuration generated from the validated settings; the node's id travels in a role, so
        // peers map members to the ids their Raft replicas carry.
        var generatedConfig = ConfigurationFactory.ParseString(StopWithoutLeaving)
            .WithFallback(ConfigurationFactory.ParseString(AkkaConfigGenerator.Generate(node.Name, remote,
                clusterSettings with { Roles = [.. clusterSettings.Roles, ClusterMembershipBridge.NodeIdRolePrefix + nodeId.Value.ToString(System.Globalization.CultureInfo.InvariantCulture)] },
                detector, resolver, actor, tls.Enabled, typeof(NodeApplication).Assembly.GetName().Version)))
            .WithFallback(ConfigurationFactory.ParseString(ShardingSerialization.Hocon));
        // Akka-only settings the operator wrote under akka { } go beneath; one AkkaKv generates is refused above.
        var akkaConfig = generatedConfig.WithFallback(OperatorAkkaSettings.Read(builder.Configuration, generatedConfig));
        var tlsSetup = tls.Enabled ? AkkaTls.Setup(TlsSettings.FromPemFiles(tls.Certificate, tls.PrivateKey, tls.TrustedAuthorities)) : null;
        builder.Services.AddAkka<NodeAkkaService>(AkkaConfigGenerator.SystemName(clusterSettings), (akka, _) =>
        {
            akka.AddHocon(akkaConfig, HoconAddMode.Prepend);
            if (tlsSetup is not null)
            {
                akka.AddSetup(tlsSetup);
            }
            akka.ConfigureLoggers(loggers =>
            {
                loggers.ClearLoggers();
                loggers.AddLogger<AkkaLogBridge>();
            });
        });
        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddSingleton(Options.Create(node));
        builder.Services.AddSingleton(Options.Create(http));
        builder.Services.AddSingleton(Options.Create(sharding));
        builder.Services.AddSingleton(Options.Create(raft));
        builder.Services.AddSingleton(Options.Create(persistence));
        builder.Services.AddSingleton(Options.Create(resolver));
        builder.Services.AddSingleton(provider => new NodeRuntime(provider.GetRequiredService<ActorSystem>(), nodeId, node.Name, remote.TestMode, provider.GetRequiredService<ILoggerFactory>()));
        builder.Services.AddSingleton<Metrics.NodeMetrics>();
        builder.Services.AddSingleton(provider => NodeSharding.Start(
            provider.GetRequiredService<NodeRuntime>(), provider.GetRequiredService<NodeWal>(), snapshots, sharding, raft, http.RequestTimeout,
            provider.GetRequiredService<Metrics.NodeMetrics>(), new Persistence.Membership.FileClusterMembershipRecord(dataDirectory), provider.GetRequiredService<ILoggerFactory>()));
        builder.Services.AddSingleton(provider => provider.GetRequiredService<NodeSharding>().Router);
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.Listen(ListenAddress.Resolve(http.Hostname, "akkakv.http.hostname"), http.Port);
            kestrel.AddServerHeader = false;
        });

        var app = builder.Build();
        try
        {
            // The actor system starts now — the peer port bound, so a port in use fails the start with one line before
            // anything listens — and the node's actors with it (local replicas recovered from disk).
            StartActorSystem(app.Services, remote);
            app.Services.GetRequiredService<NodeSharding>();
        }
        catch
        {
            app.DisposeAsync().AsTask().GetAwaiter().GetResult(); // stops the actor system, closes the WAL
            throw;
        }
        app.UseStatusCodePages(); // empty error responses (unknown route, wrong method) become problem+json
        MapHealthEndpoints(app);
        app.MapKvApi(new GatewayOptions { MaxValueBytes = http.MaxValueSize.Bytes });
        app.MapNodeApi();
        app.MapClusterApi(remote.TestMode);
        app.MapShardApi();
        Metrics.MetricsEndpoints.MapMetrics(app);
        return app;
    }

    /// <summary>Creates the actor system; a remoting port that cannot be bound is an <see cref="IOException"/> naming it.</summary>
    private static void StartActorSystem(IServiceProvider services, RemoteSettings remote)
    {
        try
        {
            services.GetRequiredService<ActorSystem>();
        }
        catch (Exception error) when (Innermost(error) is System.Net.Sockets.SocketException socket)
        {
            throw new IOException($"cannot listen for peers on {remote.Hostname}:{remote.Port} (akkakv.remote): {socket.Message}", socket);
        }
    }

    private static Exception Innermost(Exception error)
    {
        while (error.InnerException is { } inner)
        {
            error = inner;
        }
        return error;
    }

    /// <summary>One line per entry with a UTC timestamp, for the host's and the start-up loggers alike.</summary>
    private static void ConfigureConsole(Microsoft.Extensions.Logging.Console.SimpleConsoleFormatterOptions options)
    {
        options.SingleLine = true;
        options.TimestampFormat = "yyyy-MM-ddTHH:mm:ss.fffZ ";
        options.UseUtcTimestamp = true;
    }

    private static void MapHealthEndpoints(WebApplication app)
    {
        var lifetime = app.Lifetime;
        app.MapGet("/healthz", (ActorSystem system) =>
            system.WhenTerminated.IsCompleted ? Results.Text("terminated\n", statusCode: 503) : Results.Text("ok\n"));
        app.MapGet("/readyz", async (ActorSystem system, NodeRuntime runtime, ShardRouter router, IOptions<NodeOptions> node, CancellationToken cancellation) =>
        {
            if (lifetime.ApplicationStopping.IsCancellationRequested || system.WhenTerminated.IsCompleted)
            {
                return Results.Text("shutting down\n", statusCode: 503);
            }
            if (runtime.Cluster.SelfMember.Status is not (Akka.Cluster.MemberStatus.Up or Akka.Cluster.MemberStatus.WeaklyUp))
            {
                return Results.Text($"not a member yet ({runtime.Cluster.SelfMember.Status})\n", statusCode: 503);
            }
            try
            {
                // Ready once the node knows the configuration and every shard has a leader that answers.
                await router.StatusAsync(cancellation);
                return Results.Text($"ready {node.Value.Name}\n");
            }
            catch (AskTimeoutException)
            {
                return Results.Text("recovering\n", statusCode: 503);
            }
            catch (ShardUnavailableException error)
            {
                return Results.Text($"waiting: {error.Message}\n", statusCode: 503);
            }
        });
    }
}
