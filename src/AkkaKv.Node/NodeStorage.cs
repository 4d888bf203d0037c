using AkkaKv.Hosting.Options;
using AkkaKv.Persistence.Storage;
using AkkaKv.Persistence.Wal;

namespace AkkaKv.Node;

/// <summary>The node's storage: the WAL, recovered eagerly, so damage stops the start before anything listens.</summary>
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
                PreallocateSegments = options.WalPreallocate,
                SlowFlushWarning = options.WalSlowFlushWarning,
                TruncateAfterCorruption = options.WalTruncateAfterCorruption,
            },
            loggers.CreateLogger<NodeWal>());
}
