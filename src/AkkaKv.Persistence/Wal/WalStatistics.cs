namespace AkkaKv.Persistence.Wal;

/// <summary>
/// Counters of a node's write-ahead log since it opened: group commits (each one write and one fsync), requests
/// made durable, bytes written by group commits, and the time spent writing and fsyncing them. Requests per flush
/// is the group-commit batch size; flush time per flush the average fsync latency.
/// </summary>
public readonly record struct WalStatistics(long Flushes, long Requests, long BytesWritten, TimeSpan FlushTime);
