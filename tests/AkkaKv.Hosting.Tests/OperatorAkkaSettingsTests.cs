using Akka.Actor;
using Akka.Configuration;
using AkkaKv.Hosting.AkkaConfig;
using AkkaKv.Hosting.Configuration;
using AkkaKv.Hosting.Options;
using Microsoft.Extensions.Configuration;
using AkkaCluster = Akka.Cluster.Cluster;

namespace AkkaKv.Hosting.Tests;

/// <summary>
/// Akka-only settings written under <c>akka { }</c> in the node's file (or with <c>--set</c>) reach Akka.NET after
/// AkkaKv's own parser has read them: values, durations and lists arrive as written and are read back through Akka's
/// own settings classes; a hostile value stays one value; a setting AkkaKv generates from an <c>akkakv.*</c> one is
/// refused naming the file and line. Method: the configuration layers as the node builds them, and the result handed
/// to a real actor system.
/// </summary>
public sealed class OperatorAkkaSettingsTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("akkakv-akka-settings-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private static readonly Config Generated = ConfigurationFactory.ParseString(AkkaConfigGenerator.Generate("n1", new RemoteSettings { Port = 0 },
        new ClusterSettings { SeedNodes = ["127.0.0.1:1"] }, new FailureDetectorSettings(), new SplitBrainResolverSettings(), new ActorOptions(), tls: false));

    private IConfigurationRoot Build(string file, params string[] sets)
    {
        var path = Path.Combine(_directory, "node.conf");
        File.WriteAllText(path, file);
        return new ConfigurationBuilder().AddAkkaKvConfiguration([path], sets, () => []).Build();
    }

    [Fact]
    public async Task Akka_only_settings_from_the_file_and_set_reach_akka_as_written()
    {
        var configuration = Build("""
            akka {
              cluster.min-nr-of-members = 2
              cluster.retry-unsuccessful-join-after = 3s
              actor.debug.unhandled = on
            }
            """, "akka.cluster.log-info-verbose=on");
        var config = Generated.WithFallback(OperatorAkkaSettings.Read(configuration, Generated));
        var system = ActorSystem.Create("akkakv", ConfigurationFactory.ParseString("akka.coordinated-shutdown.run-by-actor-system-terminate = off\nakka.loglevel = ERROR").WithFallback(config));
        try
        {
            var settings = AkkaCluster.Get(system).Settings;
            Assert.Equal(2, settings.MinNrOfMembers);
            Assert.Equal(TimeSpan.FromSeconds(3), settings.RetryUnsuccessfulJoinAfter);
            Assert.True(settings.VerboseHeartbeatLogging || settings.LogInfoVerbose);
            Assert.True(system.Settings.DebugUnhandledMessage);
        }
        finally
        {
            await system.Terminate().WaitAsync(TimeSpan.FromSeconds(30));
        }
    }

    [Fact]
    public void A_list_arrives_as_a_list_and_a_hostile_value_stays_one_value()
    {
        var configuration = Build("""
            akka.custom.names = ["a", "b c"]
            akka.custom.text = "x\" \n akka.loglevel = DEBUG #"
            """);
        var config = OperatorAkkaSettings.Read(configuration, Generated);
        Assert.Equal(["a", "b c"], config.GetStringList("akka.custom.names"));
        Assert.Equal("x\" \n akka.loglevel = DEBUG #", config.GetString("akka.custom.text"));
        Assert.False(config.HasPath("akka.loglevel"));
    }

    [Fact]
    public void A_setting_akkakv_generates_is_refused_naming_where_it_was_set()
    {
        var configuration = Build("akka.remote.dot-netty.tcp.port = 2999\nakka.cluster.roles = [\"x\"]\nakka.cluster.min-nr-of-members = 2");
        var error = Assert.Throws<ConfigurationErrorsException>(() => OperatorAkkaSettings.Read(configuration, Generated));
        Assert.Equal(2, error.Errors.Count);
        Assert.Contains(error.Errors, e => e.StartsWith("akka.remote.dot-netty.tcp.port (", StringComparison.Ordinal) && e.Contains("node.conf:1:", StringComparison.Ordinal)
            && e.Contains("set the akkakv.* setting instead", StringComparison.Ordinal));
        Assert.Contains(error.Errors, e => e.StartsWith("akka.cluster.roles", StringComparison.Ordinal));
    }

    [Fact]
    public void Without_akka_settings_nothing_is_added()
    {
        Assert.True(OperatorAkkaSettings.Read(Build("akkakv.http.port = 8081"), Generated).IsEmpty);
    }
}
