using System.Net;
using AkkaKv.Actors;
using Microsoft.Extensions.Logging.Abstractions;

namespace AkkaKv.Remote.Tests;

/// <summary>
/// Remote actor references between two actor systems over real loopback TCP: an ask answered by an actor on the other
/// node, actor-to-actor replies through the sender reference, local resolution of this node's own paths, and
/// nothing lost silently — a message without a serializer, for an actor that does not exist, or in a malformed frame is
/// counted, logged and sent to dead letters while the link keeps working. Also the path syntax, including hostile text.
/// </summary>
public sealed class RemoteActorRefTests : IAsyncLifetime
{
    private const string Cluster = "refs";
    private readonly List<(ActorSystem System, TcpNodeTransport Transport, RemoteActorProvider Provider)> _nodes = [];

    private (ActorSystem System, TcpNodeTransport Transport, RemoteActorProvider Provider) StartNode(int id, int sendQueueCapacity = 10_000)
    {
        var system = ActorSystem.Create($"node{id}");
        var transport = new TcpNodeTransport(
            new TcpTransportOptions { Cluster = Cluster, Node = new NodeId((ulong)id), Incarnation = 1, Listen = new IPEndPoint(IPAddress.Loopback, 0), MinReconnectDelay = TimeSpan.FromMilliseconds(20), SendQueueCapacity = sendQueueCapacity },
            _ => null, (_, _) => { }, NullLogger.Instance);
        transport.Start();
        var provider = new RemoteActorProvider(system, transport, RemoteSerializers.CreateDefault(), Cluster, NullLogger.Instance);
        _nodes.Add((system, transport, provider));
        return (system, transport, provider);
    }

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        foreach (var (system, transport, _) in _nodes)
        {
            await transport.DisposeAsync();
            await system.Terminate();
        }
    }

    private sealed class Echo : Actor
    {
        protected override void Receive(object message) => Sender.Tell($"echo: {message}", Self);
    }

    private sealed class Caller(IActorRef target, TaskCompletionSource<(string, string)> replied) : Actor
    {
        protected override void PreStart() => target.Tell("from an actor", Self);

        protected override void Receive(object message) => replied.TrySetResult(((string)message, Sender.Path.ToString()));
    }

    [Fact]
    public async Task An_actor_on_another_node_answers_an_ask_and_replies_to_an_actor_sender()
    {
        var (systemA, _, providerA) = StartNode(1);
        var (systemB, _, providerB) = StartNode(2);
        var echo = systemB.ActorOf(Props.Create(() => new Echo()), "echo");
        var path = providerB.PathOf(echo).ToString();
        Assert.Equal($"akkakv://{Cluster}@{_nodes[1].Transport.Address}/user/echo", path);

        var remote = Assert.IsType<RemoteActorRef>(providerA.Resolve(path));
        Assert.Equal("echo: hello", await remote.Ask<string>("hello", TimeSpan.FromSeconds(15)));

        var replied = new TaskCompletionSource<(string, string)>(TaskCreationOptions.RunContinuationsAsynchronously);
        systemA.ActorOf(Props.Create(() => new Caller(remote, replied)), "caller");
        var (reply, sender) = await replied.Task.WaitAsync(TimeSpan.FromSeconds(15));
        Assert.Equal("echo: from an actor", reply);
        Assert.Equal($"akkakv://{Cluster}@{_nodes[1].Transport.Address}/user/echo", sender);

        Assert.Same(echo, providerB.Resolve(path)); // this node's own path is the local actor
    }

    [Fact]
    public async Task Undeliverable_messages_are_counted_and_the_link_keeps_working()
    {
        var (_, _, providerA) = StartNode(1);
        var (systemB, transportB, providerB) = StartNode(2);
        var echo = systemB.ActorOf(Props.Create(() => new Echo()), "echo");
        var remote = providerA.Resolve(providerB.PathOf(echo).ToString());

        remote.Tell(42); // no serializer for int: never leaves the node
        Assert.Equal(1, providerA.Undeliverable);

        providerA.Resolve($"akkakv://{Cluster}@{transportB.Address}/user/nobody").Tell("lost?");
        _nodes[0].Transport.SendFrame(transportB.Address, FrameKind.ActorMessage, [1, 255, 255, 255, 255]); // hostile length
        _nodes[0].Transport.SendFrame(transportB.Address, FrameKind.ActorMessage,
            ActorMessageCodec.Encode(providerB.PathOf(echo).ToString(), null, 999, [1, 2, 3])); // unknown serializer
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(15);
        while (providerB.Undeliverable < 3)
        {
            Assert.True(DateTime.UtcNow < deadline, $"only {providerB.Undeliverable} of 3 undeliverable messages noticed");
            await Task.Delay(10); // allowed: polling a counter with a deadline
        }
        Assert.Equal("echo: still here", await remote.Ask<string>("still here", TimeSpan.FromSeconds(15)));
    }

    [Fact]
    public void Messages_the_transport_cannot_queue_for_a_silent_node_are_reported_undeliverable()
    {
        var (_, _, provider) = StartNode(1, sendQueueCapacity: 16);
        int silentPort;
        using (var probe = new System.Net.Sockets.Socket(System.Net.Sockets.AddressFamily.InterNetwork, System.Net.Sockets.SocketType.Stream, System.Net.Sockets.ProtocolType.Tcp))
        {
            probe.Bind(new IPEndPoint(IPAddress.Loopback, 0));
            silentPort = ((IPEndPoint)probe.LocalEndPoint!).Port; // nobody listens there afterwards
        }
        var remote = provider.Resolve($"akkakv://{Cluster}@127.0.0.1:{silentPort}/user/anyone");
        for (var i = 0; i < 40; i++)
        {
            remote.Tell($"message {i}");
        }
        Assert.True(provider.Undeliverable >= 40 - 16, $"{provider.Undeliverable} reported");
    }

    [Fact]
    public void A_path_of_another_cluster_is_refused()
    {
        var (_, _, provider) = StartNode(1);
        Assert.Contains("belongs to cluster 'other'", Assert.Throws<FormatException>(() => provider.Resolve("akkakv://other@10.0.0.1:2551/user/x")).Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("akkakv://c@10.0.0.1:2551/user/shard-3", true)]
    [InlineData("akkakv://my.cluster@[::1]:2551/user/a/b", true)]
    [InlineData("akkakv://c@host.example:1/temp/7", true)]
    [InlineData("", false)]
    [InlineData("http://c@10.0.0.1:2551/user/x", false)]
    [InlineData("akkakv://c/user/x", false)]
    [InlineData("akkakv://@10.0.0.1:2551/user/x", false)]
    [InlineData("akkakv://c@10.0.0.1/user/x", false)]
    [InlineData("akkakv://c@10.0.0.1:99999/user/x", false)]
    [InlineData("akkakv://c@10.0.0.1:2551/user//x", false)]
    [InlineData("akkakv://c d@10.0.0.1:2551/user/x", false)]
    [InlineData("akkakv://c@10.0.0.1:2551/user/\u0000", false)]
    public void Actor_paths_parse_only_when_well_formed(string text, bool valid)
    {
        Assert.Equal(valid, RemoteActorPath.TryParse(text, out var path, out var error));
        if (valid)
        {
            Assert.Equal(text, path!.ToString());
        }
        else
        {
            Assert.NotEmpty(error);
        }
    }

    [Fact]
    public void An_oversized_path_is_refused() =>
        Assert.False(RemoteActorPath.TryParse("akkakv://c@10.0.0.1:2551/user/" + new string('a', 2000), out _, out _));
}
