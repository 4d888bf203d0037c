using AkkaKv.Raft;
using Microsoft.Extensions.Logging;

namespace AkkaKv.Sharding;

internal static partial class ShardLogMessages
{
    [LoggerMessage(Level = LogLevel.Debug, Message = "{Shard} recovered: snapshot at {SnapshotIndex}, log up to {LastIndex}, {Keys} keys")]
    public static partial void ShardRecovered(this ILogger logger, ShardId shard, LogIndex snapshotIndex, LogIndex lastIndex, int keys);

    [LoggerMessage(Level = LogLevel.Debug, Message = "{Shard}: new group on {Node} with {Conf}")]
    public static partial void Bootstrapping(this ILogger logger, ShardId shard, NodeId node, ConfState conf);

    [LoggerMessage(Level = LogLevel.Information, Message = "{Shard} snapshot at {Index} ({Keys} keys); compacting its journal")]
    public static partial void SnapshotTaken(this ILogger logger, ShardId shard, LogIndex index, int keys);

    [LoggerMessage(Level = LogLevel.Information, Message = "{Shard} installed the leader's snapshot at {Index} ({Keys} keys)")]
    public static partial void SnapshotInstalled(this ILogger logger, ShardId shard, LogIndex index, int keys);

    [LoggerMessage(Level = LogLevel.Critical, Message = "{Shard}: journaling up to {Index} failed; the replica stops taking part and the node must restart")]
    public static partial void JournalWriteFailed(this ILogger logger, ShardId shard, LogIndex index, Exception exception);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Shard}: compacting the journal failed")]
    public static partial void CompactionFailed(this ILogger logger, ShardId shard, Exception exception);
}
