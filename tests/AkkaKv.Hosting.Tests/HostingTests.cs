using AkkaKv.Actors;
using AkkaKv.Hosting.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace AkkaKv.Hosting.Tests;

/// <summary>
/// AddAkkaKv on a generic host: actors start with the host, the system is named after the node, invalid settings
/// stop the start with positioned errors, and stopping the host runs the coordinated shutdown.
/// </summary>
public sealed class HostingTests
{
    private sealed record EchoKey;

    private sealed class Echo : Actor
    {
        protected override void Receive(object message) => Sender.Tell(message);
    }

    private static IHost BuildHost(IReadOnlyList<string> sets)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Configuration.AddAkkaKvConfiguration([], sets, () => []);
        builder.Services.AddAkkaKv(setup => setup.WithActors((system, registry) => registry.Register<EchoKey>(system.ActorOf(Props.Create<Echo>(), "echo"))));
        return builder.Build();
    }

    [Fact]
    public async Task The_host_starts_the_actors_and_stopping_it_terminates_the_system()
    {
        using var host = BuildHost(["akkakv.node.name=node7"]);
        await host.StartAsync();
        var system = host.Services.GetRequiredService<ActorSystem>();
        Assert.Equal("node7", system.Name);
        var echo = host.Services.GetRequiredService<ActorRegistry>().Get<EchoKey>();
        Assert.Equal("hello", await echo.Ask<string>("hello"));
        await host.StopAsync();
        Assert.True(system.WhenTerminated.IsCompleted);
        Assert.Equal(ShutdownReason.ProcessExit, system.CoordinatedShutdown.Reason);
    }

    [Fact]
    public async Task Invalid_settings_stop_the_start_with_positioned_errors()
    {
        using var host = BuildHost(["akkakv.http.port=0"]);
        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync());
        Assert.Contains("akkakv.http.port = '0' (--set #1): must be between 1 and 65535", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_registry_key_can_be_registered_once_and_missing_keys_are_named()
    {
        var registry = new ActorRegistry();
        Assert.Contains("EchoKey", Assert.Throws<KeyNotFoundException>(() => registry.Get<EchoKey>()).Message, StringComparison.Ordinal);
        Assert.False(registry.TryGet<EchoKey>(out _));
    }
}
