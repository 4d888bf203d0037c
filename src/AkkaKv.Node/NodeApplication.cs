using System.Net;
using System.Net.Sockets;
using AkkaKv.Actors;
using AkkaKv.Hosting;
using AkkaKv.Hosting.Configuration;
using AkkaKv.Hosting.Options;
using Microsoft.Extensions.Options;

namespace AkkaKv.Node;

/// <summary>Builds the node's web host: configuration layers, the actor system, and the HTTP endpoints.</summary>
internal static class NodeApplication
{
    /// <summary>The configured application, not yet started; throws on invalid configuration.</summary>
    public static WebApplication Build(NodeArguments arguments, Action<ILoggingBuilder>? logging = null)
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { Args = [] });
        builder.Configuration.Sources.Clear();
        builder.Configuration.AddAkkaKvConfiguration(arguments.ConfigFile is null ? [] : [arguments.ConfigFile], arguments.Overrides);
        builder.Logging.ClearProviders();
        builder.Logging.AddSimpleConsole(options =>
        {
            options.SingleLine = true;
            options.TimestampFormat = "yyyy-MM-ddTHH:mm:ss.fffZ ";
            options.UseUtcTimestamp = true;
        });
        builder.Logging.AddFilter("Microsoft.AspNetCore", LogLevel.Warning);
        // A failed start is reported by Program as one line; the host's own stack-trace dump would bury it.
        builder.Logging.AddFilter("Microsoft.Extensions.Hosting.Internal.Host", LogLevel.Critical);
        logging?.Invoke(builder.Logging);
        builder.Services.AddAkkaKv();

        // Settings are validated here, before anything listens or writes, so a bad one fails the start cleanly.
        var http = OptionsBinding.Bind<HttpOptions>(builder.Configuration, HttpOptions.Section);
        var node = OptionsBinding.Bind<NodeOptions>(builder.Configuration, NodeOptions.Section);
        OptionsBinding.Bind<ActorOptions>(builder.Configuration, ActorOptions.Section);
        DataDirectory.Prepare(node.DataDir);
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.Listen(ResolveAddress(http.Hostname), http.Port);
            kestrel.AddServerHeader = false;
        });

        var app = builder.Build();
        MapHealthEndpoints(app);
        return app;
    }

    private static void MapHealthEndpoints(WebApplication app)
    {
        var lifetime = app.Lifetime;
        app.MapGet("/healthz", (ActorSystem system) =>
            system.WhenTerminated.IsCompleted ? Results.Text("terminated\n", statusCode: 503) : Results.Text("ok\n"));
        app.MapGet("/readyz", (ActorSystem system, IOptions<NodeOptions> node) =>
            lifetime.ApplicationStopping.IsCancellationRequested || system.WhenTerminated.IsCompleted
                ? Results.Text("shutting down\n", statusCode: 503)
                : Results.Text($"ready {node.Value.Name}\n"));
    }

    private static IPAddress ResolveAddress(string hostname)
    {
        if (IPAddress.TryParse(hostname, out var address))
        {
            return address;
        }
        if (hostname == "localhost")
        {
            return IPAddress.Loopback;
        }
        var resolved = Dns.GetHostAddresses(hostname);
        return Array.Find(resolved, candidate => candidate.AddressFamily == AddressFamily.InterNetwork) ?? resolved.FirstOrDefault()
            ?? throw new ArgumentException($"akkakv.http.hostname '{hostname}' does not resolve to an address");
    }
}
