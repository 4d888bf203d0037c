using Microsoft.Extensions.Logging;

namespace AkkaKv.Sharding;

internal static partial class ShardLogMessages
{
    [LoggerMessage(Level = LogLevel.Debug, Message = "{Shard} recovered: snapshot at {SnapshotIndex}, log up to {LastIndex}, {Keys} keys")]
    public static partial void ShardRecovered(this ILogger logger, ShardId shard, LogIndex snapshotIndex, LogIndex lastIndex, int keys);

    [LoggerMessage(Level = LogLevel.Information, Message = "{Shard} snapshot at {Index} ({Keys} keys); compacting its journal")]
    public static partial void SnapshotTaken(this ILogger logger, ShardId shard, LogIndex index, int keys);

    [LoggerMessage(Level = LogLevel.Critical, Message = "{Shard}: journaling entry {Index} failed; pending writes are failed and the node must restart")]
    public static partial void JournalWriteFailed(this ILogger logger, ShardId shard, LogIndex index, Exception exception);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Shard}: compacting the journal after a snapshot failed")]
    public static partial void CompactionFailed(this ILogger logger, ShardId shard, Exception exception);
}
