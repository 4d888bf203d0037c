using Microsoft.Extensions.Logging;

namespace AkkaKv.Persistence.Wal;

internal static partial class WalLogMessages
{
    [LoggerMessage(Level = LogLevel.Information, Message = "Write-ahead log in {Location} recovered: {Segments} segments, {Records} records, {Shards} shards")]
    public static partial void WalRecovered(this ILogger logger, string location, int segments, int records, int shards);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Write-ahead log {File}: cut a torn tail at offset {Offset} ({Bytes} bytes never acknowledged): {Problem}")]
    public static partial void WalTornTailTruncated(this ILogger logger, string file, long offset, long bytes, string problem);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Write-ahead log {File}: dropped {Records} intact records after offset {Offset} whose group commit never completed")]
    public static partial void WalIncompleteBatchDropped(this ILogger logger, string file, long offset, int records);

    [LoggerMessage(Level = LogLevel.Error, Message = "Write-ahead log {File} damaged at offset {Offset} ({Problem}); repair mode keeps what precedes it and discards the rest")]
    public static partial void WalCorruptionTruncated(this ILogger logger, string file, long offset, string problem);

    [LoggerMessage(Level = LogLevel.Error, Message = "Write-ahead log segment {File} discarded by repair")]
    public static partial void WalSegmentDiscarded(this ILogger logger, string file);

    [LoggerMessage(Level = LogLevel.Critical, Message = "Write-ahead log write or fsync to {File} failed; the log accepts no more writes and the node must restart")]
    public static partial void WalWriteFailed(this ILogger logger, string file, Exception exception);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Write-ahead log rolled to segment {File}")]
    public static partial void WalSegmentRolled(this ILogger logger, string file);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Write-ahead log segment {File}: {Records} live records ({Bytes} bytes) copied forward")]
    public static partial void WalSegmentRewritten(this ILogger logger, string file, int records, int bytes);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Write-ahead log segment {File} deleted")]
    public static partial void WalSegmentDeleted(this ILogger logger, string file);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Write-ahead log in {Location}: preparing the next segment at full size failed; segments are created empty until it succeeds")]
    public static partial void WalPreallocationFailed(this ILogger logger, string location, Exception exception);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Write-ahead log {File}: a group commit of {Requests} requests ({Bytes} bytes) took {Milliseconds} ms to write and flush; every write waiting on it was delayed as long")]
    public static partial void WalSlowFlush(this ILogger logger, string file, int requests, int bytes, long milliseconds);
}
