using System.Text;

namespace AkkaKv.Raft.Tests;

/// <summary>
/// Log compaction and InstallSnapshot (Raft §7) sent in chunks. Method: compact the leader's log while a follower
/// is cut off, heal, and compare state; lose chunks on purpose and check that the transfer resumes.
/// </summary>
public sealed class SnapshotTests
{
    private static RaftNetwork LaggingFollowerBehindCompactedLeader(RaftOptions options, int commands)
    {
        var network = RaftNetwork.Of(3, options);
        network.Elect(1);
        network.Isolate(3);
        for (var i = 0; i < commands; i++)
        {
            network.Propose(1, $"command-{i:D4}");
        }
        network.Compact(1);
        network.Compact(2);
        Assert.True(network.StorageOf(1).FirstIndex > new LogIndex(2));
        return network;
    }

    [Fact]
    public void A_follower_behind_the_compaction_point_is_brought_up_to_date_by_a_snapshot_in_chunks()
    {
        var network = LaggingFollowerBehindCompactedLeader(new RaftOptions { SnapshotChunkBytes = 100 }, 50);
        network.Recover();
        network.Tick(network.Options.HeartbeatTicks);
        var chunks = network.Delivered.OfType<InstallSnapshot>().Where(chunk => chunk.To == RaftNetwork.Id(3)).ToList();
        var size = network.StorageOf(1).Snapshot!.SizeBytes;
        Assert.Equal((int)((size + 99) / 100), chunks.Count);
        Assert.Equal(1, network.SnapshotsInstalled);
        Assert.Equal(network.AppliedCommands(1), network.AppliedCommands(3));
        network.Propose(1, "after");
        Assert.Equal("after", network.AppliedCommands(3)[^1]);
    }

    [Fact]
    public void A_lost_chunk_is_sent_again_from_the_last_acknowledged_offset()
    {
        var network = LaggingFollowerBehindCompactedLeader(new RaftOptions { SnapshotChunkBytes = 64 }, 30);
        network.Recover();
        var dropped = false;
        network.Drop(message =>
        {
            if (!dropped && message is InstallSnapshot { Offset: > 0 })
            {
                dropped = true;
                return true;
            }
            return false;
        });
        network.Tick(network.Options.HeartbeatTicks);
        Assert.True(dropped);
        Assert.Empty(network.AppliedCommands(3)); // stalled: the chunk awaiting acknowledgement was lost
        network.Tick(network.Options.HeartbeatTicks); // the next heartbeat response makes the leader resend it
        Assert.Equal(network.AppliedCommands(1), network.AppliedCommands(3));
        Assert.Equal(30, network.AppliedCommands(3).Count);
    }

    [Fact]
    public void A_follower_that_already_has_the_entries_commits_instead_of_restoring()
    {
        var network = RaftNetwork.Of(3);
        network.Elect(1);
        network.Propose(1, "a");
        var leader = network[1];
        var snapshot = new RaftSnapshotMeta(new LogIndex(5), leader.Term, leader.Conf, 1);
        var follower = network[2];
        follower.Step(new InstallSnapshot(leader.Id, follower.Id, leader.Term, snapshot, 0, Encoding.UTF8.GetBytes("a"), Done: true));
        var ready = follower.TakeReady();
        Assert.Null(ready.Snapshot);
        var response = Assert.IsType<AppendResponse>(Assert.Single(ready.MessagesAfterPersist));
        Assert.Equal(new LogIndex(5), response.Index);
        follower.Advance(ready);
    }

    [Fact]
    public void A_restarted_replica_recovers_from_its_snapshot_plus_the_log_after_it()
    {
        var network = RaftNetwork.Of(3);
        network.Elect(1);
        network.Propose(1, "a");
        network.Propose(1, "b");
        network.Compact(2);
        network.Propose(1, "c");
        var restarted = network.Restart(2);
        Assert.Equal(network.StorageOf(2).Snapshot!.Index, restarted.Applied);
        network.Tick(network.Options.HeartbeatTicks);
        Assert.Equal(["c"], network.AppliedCommands(2)); // replayed after the snapshot (the harness resets applied on restart)
    }
}
