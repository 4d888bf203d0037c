using AkkaKv.Actors;
using AkkaKv.Hosting.Options;
using AkkaKv.Persistence.Snapshots;
using AkkaKv.Persistence.Storage;
using AkkaKv.Persistence.Wal;
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

    /// <summary>Starts one replica per shard under <c>/user/shards</c> and returns the router over them.</summary>
    public static ShardRouter StartShards(ActorSystem system, NodeWal wal, ISnapshotStore snapshots, ShardingOptions sharding, TimeSpan requestTimeout)
    {
        var replicaOptions = new ShardReplicaOptions
        {
            SnapshotEveryEntries = sharding.SnapshotEveryEntries,
            SnapshotEveryBytes = sharding.SnapshotEveryBytes.Bytes,
            IdempotencyCapacity = sharding.IdempotencyCapacity,
            IdempotencyRetention = sharding.IdempotencyRetention,
        };
        var shards = Enumerable.Range(0, sharding.ShardCount)
            .Select(shard => system.ActorOf(ShardReplicaActor.Props(new ShardId((uint)shard), wal, snapshots, replicaOptions), $"shard-{shard}"))
            .ToList();
        return new ShardRouter(shards, requestTimeout);
    }
}
