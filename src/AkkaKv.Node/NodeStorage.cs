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
    /// Starts the node's <see cref="ReplicaManager"/> (<c>/user/replicas</c>) with one Raft group replica per shard
    /// (<c>/user/replicas/shard-N</c>) — each a group of one on this node until shards are placed across nodes — and
    /// returns the router over them.
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
        // Groups of one send no Raft messages; the transport becomes the node's TCP transport once shards span nodes.
        var manager = system.ActorOf(ReplicaManager.Props(localNode, wal, snapshots, new InProcessRaftTransport(), options), "replicas");
        var membership = new ConfState([localNode]);
        for (var shard = 0; shard < sharding.ShardCount; shard++)
        {
            manager.Tell(new BootstrapReplica(new ShardId((uint)shard), membership)); // recovers existing data, or starts a new group
        }
        var replicas = manager.Ask<LocalReplicas>(GetLocalReplicas.Instance, TimeSpan.FromSeconds(30)).GetAwaiter().GetResult().Replicas;
        var shards = Enumerable.Range(0, sharding.ShardCount).Select(shard => replicas[new ShardId((uint)shard)]).ToList();
        return new ShardRouter(shards, requestTimeout);
    }
}
