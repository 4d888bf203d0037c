using AkkaKv.Persistence.Snapshots;
using AkkaKv.Persistence.Storage;
using AkkaKv.Persistence.Wal;
using AkkaKv.Raft;
using AkkaKv.Sharding;
using AkkaKv.TestKit.Simulation;
using Microsoft.Extensions.Logging.Abstractions;

namespace AkkaKv.Simulation.Tests;

/// <summary>
/// A follower's linearizable read waits for the leader's ReadIndex answer, matched by request id. An answer the
/// leader sent to an earlier incarnation of the replica (before a crash) can arrive after the restart; it must not be
/// taken for the answer to a new read, or that read is served at the old, lower index (found by simulation seed 3672,
/// when ids restarted at 1 with every incarnation). Method: the production replica in a simulated mailbox, its
/// messages captured; the two incarnations get different seeded randoms, as two processes would.
/// </summary>
public sealed class FollowerReadTests : IDisposable
{
    private static readonly ShardId Shard = new(0);
    private static readonly NodeId Leader = new(1);
    private static readonly NodeId Follower = new(2);

    private readonly SimRuntime _runtime = new(seed: 1);
    private readonly List<RaftMessage> _sent = [];
    private readonly List<ShardReply> _replies = [];
    private readonly string _snapshots = Directory.CreateTempSubdirectory("akkakv-follower-read-").FullName;
    private MemoryWalStorage _disk = new();
    private NodeWal? _wal;

    [Fact]
    public void An_answer_meant_for_the_previous_incarnation_does_not_serve_a_new_read()
    {
        var first = StartIncarnation(seed: 11);
        var oldId = ForwardRead(first);
        first.Stop();
        _disk = _disk.PowerCut(); // a crash: what was fsynced survives

        var second = StartIncarnation(seed: 12);
        var newId = ForwardRead(second);

        // The leader's answer to the read of the crashed incarnation arrives now.
        Deliver(second, new ReadIndexResponse(Leader, Follower, new Term(1), oldId, LogIndex.Zero));
        Assert.Empty(_replies);
        Assert.NotEqual(oldId, newId);

        // Its answer to the new read serves it.
        Deliver(second, new ReadIndexResponse(Leader, Follower, new Term(1), newId, LogIndex.Zero));
        Assert.IsType<ReadReply>(Assert.Single(_replies));
    }

    private ShardReplica StartIncarnation(int seed)
    {
        _wal = NodeWal.OpenManual(_disk);
        ShardReplica? replica = null;
        var mailbox = _runtime.CreateMailbox($"n2-{seed}", message =>
        {
            switch (message)
            {
                case RaftEnvelope envelope: replica!.Step(envelope.Message); break;
                case ShardReplicaSignal signal: replica!.Handle(signal); break;
            }
        });
        var options = new RaftGroupOptions { TickInterval = TimeSpan.FromMilliseconds(100), Raft = new RaftOptions() };
        var conf = new ConfState([Leader, Follower, new NodeId(3)]);
        replica = new ShardReplica(Shard, Follower, conf, _wal, new FileSnapshotStore(_snapshots), new Capture(_sent), options, mailbox, new Random(seed), NullLogger.Instance);
        replica.Start();
        Settle();
        // The leader of term 1 makes itself known; the follower then forwards reads to it.
        Deliver(replica, new Heartbeat(Leader, Follower, new Term(1), LogIndex.Zero, ReadContext: 0));
        return replica;
    }

    /// <summary>Asks <paramref name="replica"/> for a linearizable read and returns the id it forwarded to the leader.</summary>
    private ulong ForwardRead(ShardReplica replica)
    {
        _sent.Clear();
        replica.Handle(new ReadRequest("k", ReadConsistency.Linearizable), new Collect(_replies));
        Settle();
        return Assert.Single(_sent.OfType<ReadIndexRequest>()).RequestId;
    }

    private void Deliver(ShardReplica replica, RaftMessage message)
    {
        replica.Step(message);
        Settle();
    }

    /// <summary>Completes every pending journal write and runs the mailbox to idle.</summary>
    private void Settle()
    {
        for (var round = 0; round < 10; round++)
        {
            _runtime.RunUntilIdle();
            if (_wal is not { HasPending: true } wal)
            {
                return;
            }
            wal.FlushPending();
        }
    }

    public void Dispose() => Directory.Delete(_snapshots, recursive: true);

    private sealed class Capture(List<RaftMessage> sent) : IRaftTransport
    {
        public void Send(ShardId shard, RaftMessage message) => sent.Add(message);
    }

    private sealed class Collect(List<ShardReply> replies) : IReplyTo<ShardReply>
    {
        public void Tell(ShardReply reply) => replies.Add(reply);
    }
}
