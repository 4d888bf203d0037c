using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using AkkaKv.Raft;
using Microsoft.Extensions.Logging.Abstractions;

namespace AkkaKv.Remote.Tests;

/// <summary>
/// Raft messages over real loopback TCP between two transports: delivery both ways and in order, reconnection once
/// a peer appears, refusal of a peer from another cluster, and a node unharmed by garbage or oversized frames on its
/// port. Method: transports on free ports, deliveries awaited with deadlines.
/// </summary>
public sealed class TcpNodeTransportTests : IAsyncLifetime
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(15);
    private static readonly NodeId N1 = new(1);
    private static readonly NodeId N2 = new(2);
    private static readonly ShardId Shard = new(5);
    private readonly ConcurrentDictionary<NodeId, EndPoint> _addresses = new();
    private readonly List<TcpNodeTransport> _transports = [];

    private sealed class Inbox
    {
        private readonly ConcurrentQueue<(ShardId, RaftMessage)> _received = new();
        private TaskCompletionSource _arrived = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public IReadOnlyCollection<(ShardId Shard, RaftMessage Message)> Received => _received;

        public void Deliver(ShardId shard, RaftMessage message)
        {
            _received.Enqueue((shard, message));
            _arrived.TrySetResult();
        }

        public async Task WaitForAsync(int count)
        {
            using var timeout = new CancellationTokenSource(Deadline);
            while (_received.Count < count)
            {
                var arrived = _arrived;
                if (_received.Count >= count)
                {
                    break;
                }
                await arrived.Task.WaitAsync(timeout.Token);
                Interlocked.CompareExchange(ref _arrived, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously), arrived);
            }
        }
    }

    private TcpNodeTransport Start(NodeId node, Inbox inbox, string cluster = "test", int port = 0)
    {
        var transport = new TcpNodeTransport(
            new TcpTransportOptions
            {
                Cluster = cluster,
                Node = node,
                Incarnation = 1,
                Listen = new IPEndPoint(IPAddress.Loopback, port),
                MinReconnectDelay = TimeSpan.FromMilliseconds(20),
                MaxReconnectDelay = TimeSpan.FromMilliseconds(200),
                MaxFrameBytes = 1024 * 1024,
            },
            peer => _addresses.TryGetValue(peer, out var address) ? address.ToString() : null,
            inbox.Deliver,
            NullLogger.Instance);
        transport.Start();
        _addresses[node] = transport.LocalEndPoint;
        _transports.Add(transport);
        return transport;
    }

    private static Heartbeat Beat(NodeId from, NodeId to, ulong context) => new(from, to, new Term(3), new LogIndex(9), context);

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        foreach (var transport in _transports)
        {
            await transport.DisposeAsync();
        }
    }

    [Fact]
    public async Task Messages_travel_both_ways_in_order()
    {
        var inbox1 = new Inbox();
        var inbox2 = new Inbox();
        var one = Start(N1, inbox1);
        var two = Start(N2, inbox2);
        for (ulong i = 1; i <= 1_000; i++)
        {
            one.Send(Shard, Beat(N1, N2, i));
        }
        two.Send(Shard, new VoteResponse(N2, N1, new Term(3), PreVote: false, Granted: true));
        await inbox2.WaitForAsync(1_000);
        await inbox1.WaitForAsync(1);
        Assert.Equal(Enumerable.Range(1, 1_000).Select(i => (ulong)i), inbox2.Received.Select(item => ((Heartbeat)item.Message).ReadContext));
        Assert.All(inbox2.Received, item => Assert.Equal(Shard, item.Shard));
        Assert.Equal(new VoteResponse(N2, N1, new Term(3), false, true), inbox1.Received.Single().Message);
    }

    [Fact]
    public async Task Messages_queued_for_a_peer_that_is_not_up_yet_arrive_once_it_listens()
    {
        int port;
        using (var probe = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp))
        {
            probe.Bind(new IPEndPoint(IPAddress.Loopback, 0));
            port = ((IPEndPoint)probe.LocalEndPoint!).Port;
        }
        _addresses[N2] = new IPEndPoint(IPAddress.Loopback, port);
        var one = Start(N1, new Inbox());
        one.Send(Shard, Beat(N1, N2, 42)); // nobody listens yet: the transport keeps retrying
        var inbox2 = new Inbox();
        Start(N2, inbox2, port: port);
        await inbox2.WaitForAsync(1);
        Assert.Equal(42UL, ((Heartbeat)inbox2.Received.Single().Message).ReadContext);
    }

    [Fact]
    public async Task A_peer_from_another_cluster_is_refused_and_nothing_it_sends_is_delivered()
    {
        var inbox2 = new Inbox();
        var two = Start(N2, inbox2, cluster: "prod");
        var stranger = Start(N1, new Inbox(), cluster: "staging");
        stranger.Send(Shard, Beat(N1, N2, 1));
        await WaitUntilAsync(() => two.RefusedConnections >= 1);
        Assert.Empty(inbox2.Received);
    }

    [Theory]
    [InlineData("GET / HTTP/1.1\r\nHost: x\r\n\r\n")]
    [InlineData("\u00ff\u00ff\u00ff\u007f\u0001")]
    public async Task Garbage_on_the_peer_port_closes_that_connection_and_the_node_carries_on(string garbage)
    {
        var inbox2 = new Inbox();
        var two = Start(N2, inbox2);
        using (var client = new TcpClient())
        {
            await client.ConnectAsync(two.LocalEndPoint);
            var stream = client.GetStream();
            await stream.WriteAsync(garbage.Select(c => (byte)c).ToArray());
            var buffer = new byte[16];
            using var timeout = new CancellationTokenSource(Deadline);
            Assert.Equal(0, await stream.ReadAsync(buffer, timeout.Token)); // closed by the node
        }
        Assert.Equal(1, two.RefusedConnections);
        var one = Start(N1, new Inbox());
        one.Send(Shard, Beat(N1, N2, 7));
        await inbox2.WaitForAsync(1);
    }

    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow + Deadline;
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "condition not met in time");
            await Task.Delay(10); // allowed: polling a counter with a deadline
        }
    }
}
