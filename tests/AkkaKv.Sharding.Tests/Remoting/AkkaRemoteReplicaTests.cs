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
using AkkaKv.Store;
using Microsoft.Extensions.Logging.Abstractions;

namespace AkkaKv.Sharding.Tests.Remoting;

/// <summary>
/// A shard replica answering another node over Akka.Remote — the path routing forwards requests on: this test kit's
/// actor system is the asking node (node 1) and a second system on loopback holds node 2's
/// <see cref="ReplicaManagerHost"/> with a replica of shard 3; node 1's <see cref="AkkaShardLocator"/> reaches that
/// replica as a remote reference (from the address membership would give) and its writes, reads, a refused
/// conditional write and a scan are answered with the right versions. Method: real actor systems, DotNetty TCP on
/// loopback, the sharding serializers; answers awaited with deadlines.
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

    [Fact]
    public async Task A_replica_on_another_node_answers_writes_reads_and_scans_through_a_remote_reference()
    {
        var transport = new AkkaRaftTransport(_server, Server);
        var manager = _server.ActorOf(ReplicaManagerHost.Props(Server, _wal, new FileSnapshotStore(_snapshots), transport, new RaftGroupOptions(),
            new InMemoryClusterMembershipRecord(), NullLoggerFactory.Instance, TimeProvider.System), ReplicaManagerHost.Name);
        transport.SetLocal(manager);
        manager.Tell(new BootstrapReplica(Shard, new ConfState([Server])));
        manager.Tell(GetLocalReplicas.Instance, TestActor);
        Assert.Contains(Shard, ExpectMsg<LocalReplicas>(Deadline).Shards); // running before anyone asks it

        var peers = new PeerDirectory();
        peers.Set(Server, "node-2", AddressOf(_server));
        var locator = new AkkaShardLocator(new ShardMapCache(), Client, Sys, peers);
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
}
