using AkkaKv.Actors;
using AkkaKv.Hosting.Options;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace AkkaKv.Hosting;

/// <summary>Host wiring in the spirit of Akka.Hosting.</summary>
public static class HostingExtensions
{
    /// <summary>
    /// Registers the typed options (validated at start), the actor system named after <c>akkakv.node.name</c>, the
    /// <see cref="ActorRegistry"/>, and a hosted service that starts the actors of <paramref name="configure"/> and
    /// shuts the system down in phases with the host. Call
    /// <see cref="Configuration.AkkaKvConfigurationExtensions.AddAkkaKvConfiguration"/> on the configuration first.
    /// </summary>
    public static IServiceCollection AddAkkaKv(this IServiceCollection services, Action<AkkaKvSetup>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        var setup = new AkkaKvSetup();
        configure?.Invoke(setup);
        services.AddAkkaKvOptions<ActorOptions>(ActorOptions.Section);
        services.AddAkkaKvOptions<NodeOptions>(NodeOptions.Section);
        services.AddAkkaKvOptions<HttpOptions>(HttpOptions.Section);
        services.AddAkkaKvOptions<ShardingOptions>(ShardingOptions.Section);
        services.AddAkkaKvOptions<RaftSettings>(RaftSettings.Section);
        services.AddAkkaKvOptions<PersistenceOptions>(PersistenceOptions.Section);
        services.AddSingleton(TimeProvider.System);
        services.AddSingleton(setup);
        services.AddSingleton<ActorRegistry>();
        services.AddSingleton(provider => ActorSystem.Create(
            provider.GetRequiredService<IOptions<NodeOptions>>().Value.Name,
            provider.GetRequiredService<IOptions<ActorOptions>>().Value.ToActorSystemOptions(provider.GetRequiredService<TimeProvider>()),
            provider.GetRequiredService<ILoggerFactory>()));
        services.AddHostedService<ActorSystemHostedService>();
        return services;
    }
}
