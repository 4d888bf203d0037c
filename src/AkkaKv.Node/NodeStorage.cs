using AkkaKv.Actors;
using AkkaKv.Hosting.Options;
using AkkaKv.Persistence.Snapshots;
using AkkaKv.Persistence.Storage;
using AkkaKv.Persistence.Wal;
using AkkaKv.Raft;
using AkkaKv.Sharding;

namespace AkkaKv.Node;

/// <summary>
/// The node's storage and shards: the WAL (recovered eagerly, so damage stops the start before anything listens),
/// the snapshot store, and one shard replica actor per hash shard.
/// </summary>
internal static class NodeStorage
{
    /// <summary>Opens the WAL in <c>&lt;data-dir&gt;/wal</c>; throws <see cref="WalCorruptionException"/> on damage.</summary>
    public static NodeWal OpenWal(string dataDirectory, PersistenceOptions options, ILoggerFactory loggers) =>
        NodeWal.Open(
            new FileWalStorage(Path.Combine(dataDirectory, "wal")),
            new WalOptions
            {
                SegmentBytes = options.WalSegmentSize.Bytes,
                MaxBatchBytes = (int)options.WalMaxBatchSize.Bytes,
                CacheBytes = options.WalCacheSize.Bytes,
                TruncateAfterCorruption = options.WalTruncateAfterCorruption,
            },
            loggers.CreateLogger<NodeWal>());

    /// <summary>
    /// Starts one Raft group replica per shard under <c>/user/shard-N</c> — each a group of one on this node for now —
    /// and returns the router over them.
    /// </summary>
    public static ShardRouter StartShards(ActorSystem system, NodeId localNode, NodeWal wal, ISnapshotStore snapshots, ShardingOptions sharding, RaftSettings raft, TimeSpan requestTimeout)
    {
        var options = new RaftGroupOptions
        {
            TickInterval = raft.TickInterval,
            Raft = new RaftOptions
            {
                ElectionTicks = raft.ElectionTicks,
                HeartbeatTicks = raft.HeartbeatTicks,
                PreVote = raft.PreVote,
                CheckQuorum = raft.CheckQuorum,
                LeaseReads = raft.LeaseReads,
                LeaseDriftMarginTicks = raft.LeaseDriftMarginTicks,
                MaxInflightMessages = raft.MaxInflightMessages,
                MaxMessageBytes = raft.MaxMessageSize.Bytes,
                SnapshotChunkBytes = (int)raft.SnapshotChunkSize.Bytes,
            },
            CompactionLagEntries = raft.CompactionLagEntries,
            SnapshotEveryEntries = sharding.SnapshotEveryEntries,
            SnapshotEveryBytes = sharding.SnapshotEveryBytes.Bytes,
            IdempotencyCapacity = sharding.IdempotencyCapacity,
            IdempotencyRetention = sharding.IdempotencyRetention,
        };
        var transport = new InProcessRaftTransport();
        var membership = new ConfState([localNode]);
        var shards = new List<IActorRef>(sharding.ShardCount);
        for (var shard = 0; shard < sharding.ShardCount; shard++)
        {
            var id = new ShardId((uint)shard);
            var replica = system.ActorOf(RaftGroupActor.Props(id, localNode, membership, wal, snapshots, transport, options), $"shard-{shard}");
            transport.Register(localNode, id, replica);
            shards.Add(replica);
        }
        return new ShardRouter(shards, requestTimeout);
    }
}
