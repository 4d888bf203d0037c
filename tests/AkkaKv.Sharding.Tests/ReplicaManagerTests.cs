using Akka.Actor;
using AkkaKv.Persistence.Membership;
using AkkaKv.Persistence.Snapshots;
using AkkaKv.Persistence.Storage;
using AkkaKv.Persistence.Wal;
using AkkaKv.Raft;
using AkkaKv.Sharding.Hosting;
using Microsoft.Extensions.Logging.Abstractions;

namespace AkkaKv.Sharding.Tests;

/// <summary>
/// A node's replica manager (<see cref="ReplicaManagerHost"/> on Akka.NET): bootstrapped and started replicas are
/// listed and reachable at <c>shard-N</c>, starting twice is harmless, a stopped replica disappears, and a Raft
/// message for a shard the node does not hold is dropped without harm; a fresh disk bootstraps the groups once, and a
/// disk whose replicas all moved away never does (its membership mark, a file that outlives the process). Method:
/// real actors (Akka.TestKit), an in-memory WAL.
/// </summary>
public sealed class ReplicaManagerTests(ITestOutputHelper output) : Akka.TestKit.Xunit2.TestKit("akka.loglevel = WARNING", output), IAsyncLifetime
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(10);
    private readonly string _snapshots = Directory.CreateTempSubdirectory("akkakv-manager-").FullName;
    private NodeWal _wal = null!;

    public Task InitializeAsync()
    {
        _wal = NodeWal.Open(new MemoryWalStorage());
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        await Sys.Terminate();
        await _wal.DisposeAsync();
        Directory.Delete(_snapshots, recursive: true);
    }

    /// <summary>The manager of <paramref name="node"/>'s replicas at <c>/user/replicas</c>, over the test's WAL.</summary>
    private IActorRef StartManager(NodeId node, InMemoryClusterMembershipRecord? membership = null) =>
        Sys.ActorOf(ReplicaManagerHost.Props(node, _wal, new FileSnapshotStore(_snapshots), new InProcessRaftTransport(), new RaftGroupOptions(),
            membership ?? new InMemoryClusterMembershipRecord(), NullLoggerFactory.Instance, TimeProvider.System), ReplicaManagerHost.Name);

    [Fact]
    public void Replicas_are_started_listed_and_stopped_and_stray_raft_messages_are_dropped()
    {
        var node = new NodeId(5);
        var manager = StartManager(node);
        manager.Tell(new BootstrapReplica(new ShardId(0), new ConfState([node])));
        manager.Tell(new StartReplica(new ShardId(1)), TestActor);
        ExpectMsg(new ReplicaStarted(new ShardId(1)));
        manager.Tell(new StartReplica(new ShardId(1)), TestActor);
        ExpectMsg(new ReplicaStarted(new ShardId(1))); // already running: nothing new

        manager.Tell(GetLocalReplicas.Instance, TestActor);
        Assert.Equal([new ShardId(0), new ShardId(1)], ExpectMsg<LocalReplicas>().Shards.Order());
        // Reachable at shard-N under the manager (ResolveOne fails when nothing is there).
        var replicas = new[] { 0, 1 }.ToDictionary(i => new ShardId((uint)i),
            i => Sys.ActorSelection($"{ReplicaManagerHost.Path}/shard-{i}").ResolveOne(Deadline).GetAwaiter().GetResult());
        Assert.All(replicas.Values, Assert.NotNull);

        manager.Tell(new RaftEnvelope(new ShardId(9), new Heartbeat(new NodeId(2), node, new Term(1), LogIndex.Zero, 0))); // no such replica here
        Watch(replicas[new ShardId(1)]);
        manager.Tell(new StopReplica(new ShardId(1)), TestActor);
        // The stop is confirmed once the replica has stopped and its data is deleted; the watch may report first.
        var stopped = new[] { ExpectMsg<object>(), ExpectMsg<object>() };
        Assert.Contains(new ReplicaStopped(new ShardId(1)), stopped);
        Assert.Contains(stopped, message => message is Terminated terminated && terminated.ActorRef.Equals(replicas[new ShardId(1)]));
        manager.Tell(GetLocalReplicas.Instance, TestActor);
        Assert.Equal([new ShardId(0)], ExpectMsg<LocalReplicas>().Shards);
        // Its name is free again once the manager has seen the old one stop (until then it refuses, and the coordinator retries).
        AwaitAssert(() =>
        {
            manager.Tell(new StartReplica(new ShardId(1)), TestActor);
            Assert.Equal(new ReplicaStarted(new ShardId(1)), ExpectMsg<object>());
        }, TimeSpan.FromSeconds(10));
    }

    [Fact]
    public void A_fresh_disk_bootstraps_once_and_a_disk_whose_replicas_all_moved_away_never_does()
    {
        var node = new NodeId(6);
        var membership = new InMemoryClusterMembershipRecord();
        var dataShards = new[] { new ShardId(0), new ShardId(1) };
        var manager = StartManager(node, membership);
        manager.Tell(new BootstrapCluster(dataShards, new ShardId(99)), TestActor);
        Assert.True(ExpectMsg<ClusterBootstrapped>().Bootstrapped);
        manager.Tell(new BootstrapCluster(dataShards, new ShardId(99)), TestActor);
        Assert.Contains("placement group", ExpectMsg<ClusterBootstrapped>().Reason, StringComparison.Ordinal);

        // Every replica moves away (removed, data deleted): the disk looks empty, but it belonged to a cluster.
        foreach (var shard in dataShards.Append(new ShardId(99)))
        {
            manager.Tell(new StopReplica(shard), TestActor);
            FishForMessage(message => message is ReplicaStopped stopped && stopped.Shard == shard);
        }
        Assert.Empty(_wal.Shards);
        Assert.True(membership.Exists);
        manager.Tell(new BootstrapCluster(dataShards, new ShardId(99)), TestActor);
        var refused = ExpectMsg<ClusterBootstrapped>();
        Assert.False(refused.Bootstrapped);
        Assert.Contains("belonged to a cluster", refused.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void A_node_whose_placement_replica_moved_away_does_not_found_a_second_placement_group_while_it_holds_every_data_shard()
    {
        var node = new NodeId(7);
        var membership = new InMemoryClusterMembershipRecord();
        var dataShards = new[] { new ShardId(0), new ShardId(1) };
        var placement = new ShardId(99);
        var manager = StartManager(node, membership);
        manager.Tell(new BootstrapCluster(dataShards, placement), TestActor);
        Assert.True(ExpectMsg<ClusterBootstrapped>().Bootstrapped);
        Assert.False(membership.Exists); // a crash before the bootstrap is durable lets it bootstrap again

        manager.Tell(new StopReplica(placement), TestActor);
        FishForMessage(message => message is ReplicaStopped stopped && stopped.Shard == placement);
        Assert.DoesNotContain(placement, _wal.Shards);
        // The node that formed the cluster restarts and is told to form it again: it still holds both data shards.
        manager.Tell(new BootstrapCluster(dataShards, placement), TestActor);
        var refused = ExpectMsg<ClusterBootstrapped>();
        Assert.False(refused.Bootstrapped);
        Assert.Contains("belonged to a cluster", refused.Reason, StringComparison.Ordinal);
        manager.Tell(GetLocalReplicas.Instance, TestActor);
        Assert.DoesNotContain(placement, ExpectMsg<LocalReplicas>().Shards);
    }

    [Fact]
    public void A_disk_given_a_replica_by_the_placement_is_a_cluster_members()
    {
        var membership = new InMemoryClusterMembershipRecord();
        var manager = StartManager(new NodeId(8), membership);
        manager.Tell(new StartReplica(new ShardId(0)), TestActor);
        ExpectMsg(new ReplicaStarted(new ShardId(0)));
        Assert.True(membership.Exists);
        manager.Tell(new BootstrapCluster([new ShardId(0)], new ShardId(99)), TestActor);
        Assert.False(ExpectMsg<ClusterBootstrapped>().Bootstrapped);
    }

    [Fact]
    public void The_membership_mark_is_a_file_that_outlives_the_process()
    {
        var directory = Directory.CreateTempSubdirectory("akkakv-member-").FullName;
        try
        {
            Assert.False(new FileClusterMembershipRecord(directory).Exists);
            new FileClusterMembershipRecord(directory).Record();
            var reopened = new FileClusterMembershipRecord(directory);
            Assert.True(reopened.Exists);
            reopened.Record(); // idempotent
            Assert.Single(Directory.GetFiles(directory));
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }
}
