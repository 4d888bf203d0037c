using System.Text;
using Akka.Actor;
using Akka.Configuration;
using AkkaKv.Persistence.Membership;
using AkkaKv.Persistence.Snapshots;
using AkkaKv.Persistence.Storage;
using AkkaKv.Persistence.Wal;
using AkkaKv.Raft;
using AkkaKv.Sharding.Hosting;
using AkkaKv.Sharding.Placement;
using AkkaKv.Sharding.Remoting;
using AkkaKv.Store;
using Microsoft.Extensions.Logging.Abstractions;

namespace AkkaKv.Sharding.Tests.Remoting;

/// <summary>
/// A shard replica answering another node over Akka.Remote — the path routing forwards requests on: this test kit's
/// actor system is the asking node (node 1) and a second system on loopback holds node 2's
/// <see cref="ReplicaManagerHost"/> with a replica of shard 3; node 1's <see cref="AkkaShardLocator"/> asks it through
/// <see cref="ShardTraffic"/> (from the address membership would give) and its writes, reads, a refused conditional
/// write and a scan are answered with the right versions; many requests at once share batches both ways and each gets
/// its own answer; a node that is not a member, a shard without a replica there and a batch addressed to another node
/// are answered unavailable at once; a node that does not answer times out to "no answer" and leaves nothing pending.
/// Method: real actor systems, DotNetty TCP on loopback, the sharding serializers; answers awaited with deadlines.
/// </summary>
public sealed class AkkaRemoteReplicaTests : Akka.TestKit.Xunit2.TestKit
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(15);
    private static readonly ShardId Shard = new(3);
    private static readonly NodeId Client = new(1);
    private static readonly NodeId Server = new(2);
    private static readonly Config NodeConfig = LoopbackRemoting.Config();

    private readonly ActorSystem _server = ActorSystem.Create("akkakv", NodeConfig);
    private readonly NodeWal _wal = NodeWal.Open(new MemoryWalStorage());
    private readonly string _snapshots = Directory.CreateTempSubdirectory("akkakv-remote-replica-").FullName;

    public AkkaRemoteReplicaTests(ITestOutputHelper output)
        : base(NodeConfig, "akkakv", output)
    {
    }

    protected override void AfterAll()
    {
        _server.Terminate().Wait(Deadline);
        _wal.DisposeAsync().AsTask().Wait(Deadline);
        Directory.Delete(_snapshots, recursive: true);
        base.AfterAll();
    }

    private static Address AddressOf(ActorSystem system) => ((ExtendedActorSystem)system).Provider.DefaultAddress;

    /// <summary>Node 2 with a running replica of shard 3, and node 1's traffic and locator that know where node 2 is.</summary>
    private (IActorRef Manager, ShardTraffic ClientTraffic, ShardTraffic ServerTraffic, AkkaShardLocator Locator) StartServer()
    {
        var transport = new AkkaRaftTransport(_server, Server);
        var serverPeers = new PeerDirectory();
        serverPeers.Set(Client, "node-1", AddressOf(Sys));
        var serverTraffic = new ShardTraffic(_server, Server, serverPeers, incarnation: 22);
        var manager = _server.ActorOf(ReplicaManagerHost.Props(Server, _wal, new FileSnapshotStore(_snapshots), transport, new RaftGroupOptions(),
            new InMemoryClusterMembershipRecord(), NullLoggerFactory.Instance, TimeProvider.System, serverTraffic), ReplicaManagerHost.Name);
        transport.SetLocal(manager);
        manager.Tell(new BootstrapReplica(Shard, new ConfState([Server])));
        manager.Tell(GetLocalReplicas.Instance, TestActor);
        Assert.Contains(Shard, ExpectMsg<LocalReplicas>(Deadline).Shards); // running before anyone asks it

        var peers = new PeerDirectory();
        peers.Set(Server, "node-2", AddressOf(_server));
        var clientTraffic = new ShardTraffic(Sys, Client, peers, incarnation: 11);
        return (manager, clientTraffic, serverTraffic, new AkkaShardLocator(new ShardMapCache(), Client, Sys, peers, clientTraffic));
    }

    [Fact]
    public async Task A_replica_on_another_node_answers_writes_reads_and_scans_through_a_remote_reference()
    {
        var (_, _, _, locator) = StartServer();
        var remote = locator.Resolve(Shard, Server);
        Assert.NotNull(remote);
        Assert.Equal(AddressOf(_server), remote.Path.Address); // a remote reference, not a local actor
        Task<ShardReply?> AskAsync(ShardRequest request) => locator.AskAsync(Shard, Server, request, Deadline, CancellationToken.None);

        var written = await AskAsync(new WriteRequest(new KvPut("greeting", Encoding.UTF8.GetBytes("hello"), KvCondition.None)));
        var version = Assert.IsType<KvResult.Written>(Assert.IsType<WriteReply>(written).Result).Version;
        var read = Assert.IsType<ReadReply>(await AskAsync(new ReadRequest("greeting")));
        Assert.Equal("hello", Encoding.UTF8.GetString(read.Value!.Value.Span));
        Assert.Equal(version, read.Value.Version);
        var failed = Assert.IsType<WriteReply>(await AskAsync(new WriteRequest(new KvPut("greeting", Encoding.UTF8.GetBytes("x"), KvCondition.MustNotExist))));
        Assert.Equal(new KvResult.ConditionFailed(version), failed.Result);
        var scan = Assert.IsType<ScanReply>(await AskAsync(new ScanRequest("gr", 10)));
        Assert.Equal([new KeyVersion("greeting", version)], scan.Keys);
    }

    [Fact]
    public async Task Many_requests_at_once_share_batches_both_ways_and_each_gets_its_own_answer()
    {
        var (_, clientTraffic, serverTraffic, locator) = StartServer();
        const int Count = 300;
        var writes = Enumerable.Range(0, Count)
            .Select(i => locator.AskAsync(Shard, Server, new WriteRequest(new KvPut($"k{i}", Encoding.UTF8.GetBytes($"v{i}"), KvCondition.None)), Deadline, CancellationToken.None))
            .ToList();
        Assert.All(await Task.WhenAll(writes), reply => Assert.IsType<KvResult.Written>(Assert.IsType<WriteReply>(reply).Result));
        var reads = Enumerable.Range(0, Count).Select(i => locator.AskAsync(Shard, Server, new ReadRequest($"k{i}"), Deadline, CancellationToken.None)).ToList();
        var values = await Task.WhenAll(reads);
        for (var i = 0; i < Count; i++)
        {
            Assert.Equal($"v{i}", Encoding.UTF8.GetString(Assert.IsType<ReadReply>(values[i]).Value!.Value.Span)); // each answer reached its own request
        }
        Assert.Equal(2 * Count, clientTraffic.Counters.RequestsSent);
        Assert.Equal(2 * Count, serverTraffic.Counters.RepliesSent);
        Output.WriteLine($"{clientTraffic.Counters.RequestsSent} requests in {clientTraffic.Counters.RequestBatchesSent} batches, {serverTraffic.Counters.RepliesSent} replies in {serverTraffic.Counters.ReplyBatchesSent}");
        Assert.True(clientTraffic.Counters.RequestBatchesSent < Count, "requests queued together were not batched");
        Assert.True(serverTraffic.Counters.ReplyBatchesSent < Count, "replies ready together were not batched");
        Assert.Equal(0, clientTraffic.Pending);
        Assert.Equal(0, clientTraffic.Counters.LateReplies);
    }

    [Fact]
    public async Task A_node_that_is_not_a_member_and_a_shard_without_a_replica_there_are_answered_unavailable_at_once()
    {
        var (manager, clientTraffic, _, locator) = StartServer();
        var stranger = await locator.AskAsync(Shard, new NodeId(9), new ReadRequest("k"), Deadline, CancellationToken.None);
        Assert.Contains("not a member", Assert.IsType<ShardUnavailable>(stranger).Reason, StringComparison.Ordinal);
        Assert.Equal(1, clientTraffic.Counters.RequestsRefused);
        var missing = await locator.AskAsync(new ShardId(44), Server, new WriteRequest(new KvDelete("k", KvCondition.None)), Deadline, CancellationToken.None);
        Assert.Contains("no replica of", Assert.IsType<ShardUnavailable>(missing).Reason, StringComparison.Ordinal);

        // A peer with a stale view sends node 2 a batch meant for node 7: every request is refused, none reaches a replica.
        manager.Tell(new ShardRequestBatch(Client, new NodeId(7), [new ForwardedShardRequest(5, Shard, new WriteRequest(new KvDelete("k", KvCondition.None)))]), TestActor);
        var refused = Assert.Single(ExpectMsg<ShardReplyBatch>(Deadline).Replies);
        Assert.Equal(5, refused.Id);
        Assert.Contains("not n7", Assert.IsType<ShardUnavailable>(refused.Reply).Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_request_to_a_node_that_does_not_answer_times_out_as_no_answer_and_leaves_nothing_pending()
    {
        var peers = new PeerDirectory();
        peers.Set(Server, "node-2", new Address("akka.tcp", "akkakv", "127.0.0.1", 1)); // nothing listens there
        var traffic = new ShardTraffic(Sys, Client, peers, incarnation: 3);
        var locator = new AkkaShardLocator(new ShardMapCache(), Client, Sys, peers, traffic);
        var reply = await locator.AskAsync(Shard, Server, new WriteRequest(new KvDelete("k", KvCondition.None)), TimeSpan.FromMilliseconds(300), CancellationToken.None);
        Assert.Null(reply); // a write's outcome is then unknown
        Assert.Equal(0, traffic.Pending);
        using var cancelled = new CancellationTokenSource();
        var asked = locator.AskAsync(Shard, Server, new ReadRequest("k"), Deadline, cancelled.Token);
        await cancelled.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => asked);
        Assert.Equal(0, traffic.Pending);
    }
}
