using AkkaKv.TestKit;
using System.Collections.Concurrent;
using System.Net;
using AkkaKv.Actors;
using AkkaKv.Remote;
using Microsoft.Extensions.Logging.Abstractions;

namespace AkkaKv.Cluster.Tests;

/// <summary>
/// Membership over real TCP: three nodes in one process, each with its own actor system and
/// <see cref="TcpNodeTransport"/>, form a cluster through the seeds, and remove a node whose process stops.
/// Method: real time with the timings scaled down fivefold (200 ms gossip and heartbeats, 2 s acceptable pause —
/// generous, so a busy 2-core machine does not make live members look dead), deadlines on assertions.
/// </summary>
public sealed class ClusterOverTcpTests(ITestOutputHelper output) : TestKit.TestKit(output), IAsyncLifetime
{
    private readonly ConcurrentDictionary<NodeId, EndPoint> _addresses = new();
    private readonly List<(NodeId Id, ActorSystem System, TcpNodeTransport Transport, IActorRef Cluster)> _nodes = [];

    private static NodeId N(int i) => new((ulong)i);

    private static readonly int[] Ports = FreeTcpPort.Take(3);

    public Task InitializeAsync()
    {
        var options = new ClusterOptions
        {
            Seeds = ["127.0.0.1:" + Ports[0], "127.0.0.1:" + Ports[1]],
            GossipInterval = TimeSpan.FromMilliseconds(200),
            StableAfter = TimeSpan.FromSeconds(2),
            FailureDetector = new PhiAccrualOptions
            {
                HeartbeatInterval = TimeSpan.FromMilliseconds(200),
                AcceptableHeartbeatPause = TimeSpan.FromSeconds(2),
                MinStdDeviation = TimeSpan.FromMilliseconds(100),
            },
        };
        for (var i = 1; i <= 3; i++)
        {
            var id = N(i);
            var system = ActorSystem.Create($"member{i}");
            var clusterTransport = new RemoteClusterTransport(NullLogger.Instance);
            var transport = new TcpNodeTransport(
                new TcpTransportOptions { Cluster = "tcp-cluster", Node = id, Incarnation = (ulong)i, Listen = new IPEndPoint(IPAddress.Loopback, Ports[i - 1]), MinReconnectDelay = TimeSpan.FromMilliseconds(20), MaxReconnectDelay = TimeSpan.FromMilliseconds(200) },
                peer => _addresses.TryGetValue(peer, out var address) ? address.ToString() : null,
                (_, _) => { },
                NullLogger.Instance,
                clusterTransport.Deliver);
            transport.Start();
            _addresses[id] = transport.LocalEndPoint;
            var self = new Member(id, $"member{i}", (ulong)i, transport.Address, MemberStatus.Joining, []);
            var cluster = system.ActorOf(ClusterActor.Props(self, options, clusterTransport), "cluster");
            clusterTransport.Attach(transport, cluster);
            _nodes.Add((id, system, transport, cluster));
        }
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        foreach (var node in _nodes)
        {
            await node.Transport.DisposeAsync();
            await node.System.Terminate();
        }
    }

    private MembershipState? StateOf(int index)
    {
        try
        {
            return _nodes[index].Cluster.Ask<ClusterStateReply>(new GetClusterState(), TimeSpan.FromSeconds(1)).GetAwaiter().GetResult().State;
        }
        catch (AskTimeoutException)
        {
            return null;
        }
    }

    [Fact]
    public async Task Three_nodes_form_a_cluster_over_tcp_and_remove_one_whose_process_stops()
    {
        AwaitAssert(() =>
        {
            for (var i = 0; i < 3; i++)
            {
                var state = StateOf(i);
                Assert.NotNull(state);
                Assert.Equal(3, state.Members.Values.Count(member => member.Status == MemberStatus.Up));
            }
        }, TimeSpan.FromSeconds(30));

        var stopped = _nodes[2];
        await stopped.Transport.DisposeAsync();
        await stopped.System.Terminate();
        _nodes.RemoveAt(2);

        AwaitAssert(() =>
        {
            for (var i = 0; i < 2; i++)
            {
                Assert.Equal(MemberStatus.Removed, StateOf(i)?.Current(N(3))?.Status);
            }
        }, TimeSpan.FromSeconds(40));
    }
}
