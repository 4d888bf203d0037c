using System.Threading.Channels;
using Akka.Actor;
using Akka.Configuration;
using AkkaKv.Hosting.AkkaConfig;

namespace AkkaKv.Hosting.Tests;

/// <summary>
/// Mutual TLS on Akka.Remote from AkkaKv's PEM settings (<see cref="AkkaTls"/>): two nodes whose certificates a common
/// authority issued exchange a message; a node whose certificate another authority issued is refused — its
/// association fails and its message never arrives.
/// </summary>
public sealed class AkkaTlsTests : IDisposable
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);
    private readonly TestCertificates _certificates = new();
    private readonly List<ActorSystem> _systems = [];

    public void Dispose()
    {
        Task.WaitAll([.. _systems.Select(system => system.Terminate())], Deadline);
        _certificates.Dispose();
    }

    private ActorSystem Start(TlsSettings tls)
    {
        var config = ConfigurationFactory.ParseString("""
            akka.actor.provider = remote
            akka.loglevel = WARNING
            akka.remote.dot-netty.tcp { hostname = 127.0.0.1, port = 0, enable-ssl = on }
            """);
        var system = ActorSystem.Create("akkakv", BootstrapSetup.Create().WithConfig(config).And(AkkaTls.Setup(tls)));
        _systems.Add(system);
        return system;
    }

    private sealed class Sink : ReceiveActor
    {
        public Sink(ChannelWriter<object> received) => ReceiveAny(message => received.TryWrite(message));
    }

    private static Address AddressOf(ActorSystem system) => ((ExtendedActorSystem)system).Provider.DefaultAddress;

    [Fact]
    public async Task Nodes_of_one_authority_talk_and_a_node_of_another_is_refused()
    {
        var trusted = _certificates.Issue("cluster-ca", ["a", "b"]);
        var foreign = _certificates.Issue("other-ca", ["x"]);
        var a = Start(trusted["a"]);
        var b = Start(trusted["b"]);
        var x = Start(foreign["x"]);
        var received = Channel.CreateUnbounded<object>();
        b.ActorOf(Props.Create(() => new Sink(received.Writer)), "sink");

        a.ActorSelection($"{AddressOf(b)}/user/sink").Tell("from a");
        using (var timeout = new CancellationTokenSource(Deadline))
        {
            Assert.Equal("from a", await received.Reader.ReadAsync(timeout.Token));
        }

        x.ActorSelection($"{AddressOf(b)}/user/sink").Tell("from x");
        // b refuses x's certificate: x's association fails, so its Identify ends in dead letters (answered with no actor).
        var unknown = await x.ActorSelection($"{AddressOf(b)}/user/sink").Ask<ActorIdentity>(new Identify(1), Deadline);
        Assert.Null(unknown.Subject);
        var known = await a.ActorSelection($"{AddressOf(b)}/user/sink").Ask<ActorIdentity>(new Identify(2), Deadline);
        Assert.NotNull(known.Subject);
        // x's message never arrives: the next one b receives is a's.
        a.ActorSelection($"{AddressOf(b)}/user/sink").Tell("from a again");
        using var again = new CancellationTokenSource(Deadline);
        Assert.Equal("from a again", await received.Reader.ReadAsync(again.Token));
    }
}
