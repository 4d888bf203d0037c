using System.Net.Sockets;
using System.Threading.Channels;
using Akka.Actor;
using Akka.Cluster;
using Akka.Configuration;
using Akka.Event;
using AkkaKv.Sharding.Remoting;

namespace AkkaKv.Sharding.Tests.Remoting;

/// <summary>
/// What reaches a node's remoting port that is not one of its cluster's Akka.Remote peers is refused and leaves the
/// node unharmed: a peer speaking the previous build's protocol (the home-made transport's handshake), garbage bytes
/// (including a frame length far past the limit), and a node of another cluster trying to join. Each case ends with
/// a real peer still exchanging messages with the node (or the node's membership unchanged). Method: actor systems on
/// loopback, raw sockets for the bytes; a connection the node refuses is one it closes.
/// </summary>
public sealed class AkkaRemoteRefusalTests : IDisposable
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(20);
    private readonly List<ActorSystem> _systems = [];

    private ActorSystem Start(string name, string extra = "")
    {
        var system = ActorSystem.Create(name, ConfigurationFactory.ParseString($"""
            akka.actor.provider = remote
            akka.remote.dot-netty.tcp {"{"} hostname = 127.0.0.1, port = 0, maximum-frame-size = 256000b {"}"}
            akka.loglevel = WARNING
            {extra}
            """).WithFallback(ConfigurationFactory.ParseString(ShardingSerialization.Hocon)));
        _systems.Add(system);
        return system;
    }

    public void Dispose() => Task.WaitAll([.. _systems.Select(system => system.Terminate())], Deadline);

    /// <summary>
    /// The first frame a node of the previous build (its home-made TCP transport, protocol version 2) sent on a new
    /// connection, recorded from that build: length 0x30 and kind 1 (handshake), magic "AKKV", version 2, cluster
    /// "akkakv", node 9, incarnation 1, address "127.0.0.1:1".
    /// </summary>
    private static readonly byte[] PreviousProtocolHandshake = Convert.FromHexString(
        "3000000001414B4B56020006000000616B6B616B76090000000000000001000000000000000B0000003132372E302E302E313A31");

    private static Address AddressOf(ActorSystem system) => ((ExtendedActorSystem)system).Provider.DefaultAddress;

    private sealed class Sink : ReceiveActor
    {
        public Sink(ChannelWriter<object> received) => ReceiveAny(message => received.TryWrite(message));
    }

    [Fact]
    public async Task A_peer_speaking_the_previous_protocol_is_disconnected_and_the_node_keeps_serving_its_peers()
    {
        var node = Start("akkakv");
        var log = Listen(node);

        await AssertClosedAfterAsync(node, PreviousProtocolHandshake);
        await AwaitLineAsync(log, "Error while decoding incoming Akka PDU");
        await AssertStillServesAPeerAsync(node);
    }

    [Fact]
    public async Task Garbage_and_an_oversized_frame_on_the_remoting_port_are_disconnected_and_the_node_keeps_serving_its_peers()
    {
        var node = Start("akkakv");
        var log = Listen(node);
        var garbage = new byte[64 * 1024];
        new Random(4242).NextBytes(garbage);
        await AssertClosedAfterAsync(node, garbage);
        // A length prefix of 2 GiB: a node that believed it would try to buffer it.
        await AssertClosedAfterAsync(node, new byte[] { 0x7F, 0xFF, 0xFF, 0xFF, 1, 2, 3, 4 });
        await AwaitLineAsync(log, "Adjusted frame length exceeds 256000");
        await AssertStillServesAPeerAsync(node);
    }

    [Fact]
    public async Task A_node_of_another_cluster_does_not_join_and_the_membership_stays_as_it_was()
    {
        const string ClusterSettings = """
            akka.actor.provider = cluster
            akka.cluster.seed-node-timeout = 1s
            akka.cluster.retry-unsuccessful-join-after = 1s
            akka.cluster.run-coordinated-shutdown-when-down = off
            akka.coordinated-shutdown.run-by-actor-system-terminate = off
            akka.coordinated-shutdown.terminate-actor-system = off
            """;
        var ours = Start("akkakv", ClusterSettings);
        var cluster = Cluster.Get(ours);
        var up = new TaskCompletionSource();
        cluster.RegisterOnMemberUp(() => up.TrySetResult());
        cluster.Join(cluster.SelfAddress);
        await up.Task.WaitAsync(Deadline);

        // The other cluster's node has our node as its seed, under its own cluster name (an operator's copy-paste):
        // the handshake names a system that is not ours, so nothing it sends is taken.
        var foreign = Start("othercluster", ClusterSettings);
        var ourLog = Listen(ours);
        var foreignLog = Listen(foreign);
        var seed = new Address("akka.tcp", "othercluster", "127.0.0.1", AddressOf(ours).Port);
        Cluster.Get(foreign).JoinSeedNodes([seed]);

        await AwaitLineAsync(ourLog, "for non-local recipient"); // our node says why it took nothing
        await AwaitLineAsync(foreignLog, "Couldn't join seed nodes");
        Assert.Single(cluster.State.Members);
        Assert.Equal(MemberStatus.Up, cluster.SelfMember.Status);
        Assert.DoesNotContain(Cluster.Get(foreign).State.Members, member => member.Status == MemberStatus.Up);
    }

    /// <summary>Every warning and error <paramref name="system"/> logs from now on, as text (message and cause).</summary>
    private static ChannelReader<string> Listen(ActorSystem system)
    {
        var lines = Channel.CreateUnbounded<string>();
        var listener = system.ActorOf(Props.Create(() => new LogListener(lines.Writer)));
        system.EventStream.Subscribe(listener, typeof(Warning));
        system.EventStream.Subscribe(listener, typeof(Error));
        return lines.Reader;
    }

    private static async Task AwaitLineAsync(ChannelReader<string> log, string text)
    {
        using var timeout = new CancellationTokenSource(Deadline);
        while (!(await log.ReadAsync(timeout.Token)).Contains(text, StringComparison.Ordinal))
        {
        }
    }

    private sealed class LogListener : ReceiveActor
    {
        public LogListener(ChannelWriter<string> lines) =>
            Receive<LogEvent>(logged => lines.TryWrite($"{logged.Message} {(logged as Error)?.Cause}"));
    }

    /// <summary>Connects to <paramref name="node"/>'s remoting port, sends <paramref name="bytes"/>, and waits until the node closes the connection.</summary>
    private static async Task AssertClosedAfterAsync(ActorSystem node, ReadOnlyMemory<byte> bytes)
    {
        using var client = new TcpClient();
        await client.ConnectAsync("127.0.0.1", AddressOf(node).Port!.Value);
        var stream = client.GetStream();
        using var timeout = new CancellationTokenSource(Deadline);
        try
        {
            await stream.WriteAsync(bytes, timeout.Token);
            var buffer = new byte[4096];
            while (await stream.ReadAsync(buffer, timeout.Token) > 0)
            {
                // whatever the node answers before closing is not an acceptance
            }
        }
        catch (IOException)
        {
            // reset by the node: refused as well
        }
    }

    /// <summary>A real peer still reaches an actor on <paramref name="node"/>.</summary>
    private async Task AssertStillServesAPeerAsync(ActorSystem node)
    {
        var received = Channel.CreateUnbounded<object>();
        node.ActorOf(Props.Create(() => new Sink(received.Writer)), "sink");
        var peer = Start(node.Name);
        peer.ActorSelection($"{AddressOf(node)}/user/sink").Tell(new ShardUnavailable("still here"));
        using var timeout = new CancellationTokenSource(Deadline);
        Assert.Equal(new ShardUnavailable("still here"), await received.Reader.ReadAsync(timeout.Token));
    }
}
