using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using AkkaKv.Raft;
using Microsoft.Extensions.Logging.Abstractions;

namespace AkkaKv.Remote.Tests;

/// <summary>
/// Raft messages over real loopback TCP between two transports: delivery both ways and in order, heartbeats of many
/// shards coalesced and delivered intact, reconnection once a peer appears, refusal of a peer from another cluster, a
/// node unharmed by garbage or oversized frames on its port, cluster frames sent by address, test-mode fault
/// injection (blackhole each way, pass-through, delay; unavailable outside test mode), and mutual TLS (a peer without
/// a certificate of the cluster's authority is refused). Method: transports on free ports, deliveries awaited with
/// deadlines; certificates made for the test.
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

    private TcpNodeTransport Start(NodeId node, Inbox inbox, string cluster = "test", int port = 0, Func<TcpTransportOptions, TcpTransportOptions>? configure = null,
        Action<NodeId, ReadOnlyMemory<byte>>? deliverCluster = null)
    {
        var options = new TcpTransportOptions
            {
                Cluster = cluster,
                Node = node,
                Incarnation = 1,
                Listen = new IPEndPoint(IPAddress.Loopback, port),
                MinReconnectDelay = TimeSpan.FromMilliseconds(20),
                MaxReconnectDelay = TimeSpan.FromMilliseconds(200),
                MaxFrameBytes = 1024 * 1024,
            };
        var transport = new TcpNodeTransport(
            configure?.Invoke(options) ?? options,
            peer => _addresses.TryGetValue(peer, out var address) ? address.ToString() : null,
            inbox.Deliver,
            NullLogger.Instance,
            deliverCluster);
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

    [Fact]
    public async Task Heartbeats_and_answers_of_many_shards_arrive_intact()
    {
        var inbox2 = new Inbox();
        var one = Start(N1, new Inbox());
        Start(N2, inbox2);
        for (uint shard = 0; shard < 200; shard++)
        {
            one.Send(new ShardId(shard), new Heartbeat(N1, N2, new Term(shard + 1), new LogIndex(shard * 10), shard));
            one.Send(new ShardId(shard), new HeartbeatResponse(N1, N2, new Term(shard + 2), shard + 7));
        }
        await inbox2.WaitForAsync(400);
        var received = inbox2.Received.ToList();
        foreach (var (shard, message) in received)
        {
            var expected = message is Heartbeat
                ? (RaftMessage)new Heartbeat(N1, N2, new Term(shard.Value + 1), new LogIndex(shard.Value * 10), shard.Value)
                : new HeartbeatResponse(N1, N2, new Term(shard.Value + 2), shard.Value + 7);
            Assert.Equal(expected, message);
        }
        Assert.Equal(200, received.Select(item => item.Shard).Distinct().Count());
    }

    [Fact]
    public async Task Cluster_frames_go_to_an_address_and_arrive_with_the_sending_node()
    {
        var arrived = new TaskCompletionSource<(NodeId, byte[])>(TaskCreationOptions.RunContinuationsAsynchronously);
        var two = Start(N2, new Inbox(), deliverCluster: (peer, frame) => arrived.TrySetResult((peer, frame.ToArray())));
        var one = Start(N1, new Inbox());
        one.SendCluster(two.Address, [1, 2, 3]);
        var (from, payload) = await arrived.Task.WaitAsync(Deadline);
        Assert.Equal(N1, from);
        Assert.Equal([1, 2, 3], payload);
    }

    [Fact]
    public void Fault_injection_exists_only_in_test_mode()
    {
        var production = Start(N1, new Inbox());
        Assert.Contains("test-mode", Assert.Throws<InvalidOperationException>(() => production.Faults).Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(FaultDirection.Send, true)]
    [InlineData(FaultDirection.Receive, false)]
    public async Task A_blackholed_link_delivers_nothing_until_it_is_passed_through_again(FaultDirection direction, bool onSender)
    {
        var inbox2 = new Inbox();
        var one = Start(N1, new Inbox(), configure: options => options with { TestMode = true });
        var two = Start(N2, inbox2, configure: options => options with { TestMode = true });
        one.Send(Shard, Beat(N1, N2, 1));
        await inbox2.WaitForAsync(1); // connected
        var injector = onSender ? one.Faults : two.Faults;
        injector.Set(onSender ? N2 : N1, new LinkFault(FaultMode.Blackhole, direction));
        for (ulong i = 2; i <= 50; i++)
        {
            one.Send(Shard, Beat(N1, N2, i));
        }
        await Task.Delay(300); // allowed: a window in which nothing may arrive
        Assert.Single(inbox2.Received);
        injector.Set(onSender ? N2 : N1, LinkFault.None);
        one.Send(Shard, Beat(N1, N2, 51));
        await inbox2.WaitForAsync(2);
        Assert.Equal(51UL, ((Heartbeat)inbox2.Received.Last().Message).ReadContext);
    }

    [Fact]
    public async Task A_delayed_link_delivers_everything_in_order_no_earlier_than_the_delay()
    {
        var inbox2 = new Inbox();
        var one = Start(N1, new Inbox(), configure: options => options with { TestMode = true });
        Start(N2, inbox2);
        one.Send(Shard, Beat(N1, N2, 0));
        await inbox2.WaitForAsync(1);
        one.Faults.Set(N2, new LinkFault(FaultMode.Delay, Delay: TimeSpan.FromMilliseconds(300)));
        var sent = System.Diagnostics.Stopwatch.StartNew();
        for (ulong i = 1; i <= 20; i++)
        {
            one.Send(Shard, Beat(N1, N2, i));
        }
        await inbox2.WaitForAsync(21);
        Assert.True(sent.Elapsed >= TimeSpan.FromMilliseconds(250), $"arrived after {sent.Elapsed.TotalMilliseconds:0} ms");
        Assert.Equal(Enumerable.Range(0, 21).Select(i => (ulong)i), inbox2.Received.Select(item => ((Heartbeat)item.Message).ReadContext));
    }

    [Fact]
    public async Task A_throttled_link_delivers_everything_at_no_more_than_its_rate()
    {
        var arrived = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var received = 0;
        var two = Start(N2, new Inbox(), deliverCluster: (_, _) =>
        {
            if (Interlocked.Increment(ref received) == 32)
            {
                arrived.TrySetResult();
            }
        });
        var one = Start(N1, new Inbox(), configure: options => options with { TestMode = true });
        one.Faults.Set(N2, new LinkFault(FaultMode.Throttle, BytesPerSecond: 64 * 1024));
        var sent = System.Diagnostics.Stopwatch.StartNew();
        for (var i = 0; i < 32; i++)
        {
            one.SendCluster(two.Address, new byte[1024]); // 32 KiB at 64 KiB/s: at least about half a second
        }
        await arrived.Task.WaitAsync(Deadline);
        Assert.True(sent.Elapsed >= TimeSpan.FromMilliseconds(400), $"32 KiB arrived after {sent.Elapsed.TotalMilliseconds:0} ms");
    }

    [Fact]
    public async Task Nodes_with_certificates_of_the_cluster_authority_talk_over_mutual_tls_and_others_are_refused()
    {
        using var certificates = new TestCertificates();
        var trusted = certificates.Issue("trusted-ca", ["node-1", "node-2"]);
        var foreign = certificates.Issue("foreign-ca", ["intruder"]);
        var inbox2 = new Inbox();
        var two = Start(N2, inbox2, configure: options => options with { Tls = trusted["node-2"] });
        var one = Start(N1, new Inbox(), configure: options => options with { Tls = trusted["node-1"] });
        one.Send(Shard, Beat(N1, N2, 5));
        await inbox2.WaitForAsync(1);

        // A node whose certificate comes from another authority, and a node without TLS, are refused.
        var intruder = Start(new NodeId(3), new Inbox(), configure: options => options with { Tls = foreign["intruder"] });
        intruder.Send(Shard, Beat(new NodeId(3), N2, 6));
        var plain = Start(new NodeId(4), new Inbox());
        plain.Send(Shard, Beat(new NodeId(4), N2, 7));
        await WaitUntilAsync(() => two.RefusedConnections >= 2);
        Assert.Single(inbox2.Received);
    }

    [Fact]
    public async Task Raft_messages_that_cannot_be_sent_are_reported_and_heartbeats_never_take_their_room()
    {
        var reported = new System.Collections.Concurrent.ConcurrentQueue<(RaftMessage Message, string Reason)>();
        var port = FreeLoopbackPortNobodyListensOn();
        _addresses[N2] = new IPEndPoint(IPAddress.Loopback, port);
        var one = Start(N1, new Inbox(), configure: options => options with { SendQueueCapacity = 16 });
        one.RaftUndeliverable += (_, message, reason) => reported.Enqueue((message, reason));

        one.Send(Shard, new VoteResponse(N1, new NodeId(99), new Term(1), false, true)); // nobody knows node 99's address
        for (ulong i = 0; i < 200; i++)
        {
            one.Send(Shard, Beat(N1, N2, i)); // the peer is silent: heartbeats take at most half the queue, the rest are counted
        }
        for (var i = 0; i < 13; i++)
        {
            one.Send(Shard, new VoteResponse(N1, N2, new Term(1), false, true)); // 8 still fit; 5 find the queue full: reported
        }
        await WaitUntilAsync(() => reported.Count >= 6);
        Assert.Contains(reported, item => item.Message.To == new NodeId(99) && item.Reason == "no address");
        Assert.Equal(5, reported.Count(item => item.Message.To == N2 && item.Reason.EndsWith("is full", StringComparison.Ordinal)));
        Assert.DoesNotContain(reported, item => item.Message is Heartbeat);
        Assert.Equal(1 + (200 - 8) + 5, one.Dropped);
    }

    private static int FreeLoopbackPortNobodyListensOn()
    {
        using var probe = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        probe.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        return ((IPEndPoint)probe.LocalEndPoint!).Port;
    }
}
