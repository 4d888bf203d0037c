namespace AkkaKv.Persistence;

/// <summary>
/// The write log of every shard replica on a node. Appends complete only once durable (fsync), and many appends
/// from many shards share one fsync (group commit). Reads see every appended entry, durable or not yet (a Raft
/// leader may ship entries before its own disk has them; nothing is applied before it is durable).
/// </summary>
public interface IJournal : IAsyncDisposable
{
    /// <summary>
    /// Appends contiguous <paramref name="entries"/> to <paramref name="shard"/>'s log; an entry at an index that
    /// exists replaces it and everything after it (Raft's conflict rule). Optionally records
    /// <paramref name="hardState"/> in the same durable write. Completes when durable.
    /// </summary>
    Task AppendAsync(ShardId shard, IReadOnlyList<JournalEntry> entries, HardState? hardState = null);

    /// <summary>
    /// The same as <see cref="AppendAsync"/>, reporting through <paramref name="onDone"/> (null on success, the
    /// cause on failure) instead of a task: for actors, which turn the report into a message. The callback runs on
    /// the journal's writer thread, so it must only enqueue (Tell) and return.
    /// </summary>
    void Append(ShardId shard, IReadOnlyList<JournalEntry> entries, HardState? hardState, Action<Exception?> onDone);

    /// <summary>
    /// Records <paramref name="hardState"/> for <paramref name="shard"/> without waiting for it to be durable: for a
    /// hard state whose only change is the commit index, which Raft does not need on disk (etcd's <c>MustSync</c>).
    /// It is written in order with the shard's other records and made durable by the next group commit that fsyncs;
    /// no fsync is made for it alone. <paramref name="onFailed"/> runs (on the writer thread) only if writing fails.
    /// </summary>
    void RecordCommit(ShardId shard, HardState hardState, Action<Exception> onFailed);

    /// <summary>Discards <paramref name="shard"/>'s entries at and after <paramref name="from"/>. Completes when durable.</summary>
    Task TruncateSuffixAsync(ShardId shard, LogIndex from);

    /// <summary>
    /// Declares entries up to <paramref name="upTo"/> (whose term is <paramref name="term"/>) covered by a snapshot:
    /// they become garbage and their space is reclaimed. Completes when durable.
    /// </summary>
    Task CompactAsync(ShardId shard, LogIndex upTo, Term term);

    /// <summary>The same as <see cref="TruncateSuffixAsync"/>, reporting through <paramref name="onDone"/> on the journal's writer thread (for actors).</summary>
    void TruncateSuffix(ShardId shard, LogIndex from, Action<Exception?> onDone);

    /// <summary>The same as <see cref="CompactAsync"/>, reporting through <paramref name="onDone"/> on the journal's writer thread (for actors).</summary>
    void Compact(ShardId shard, LogIndex upTo, Term term, Action<Exception?> onDone);

    /// <summary>
    /// Voids everything recorded for <paramref name="shard"/> (entries, hard state, compaction mark): its replica left
    /// this node. The shard may later start again from nothing. Completes when durable.
    /// </summary>
    Task RemoveShardAsync(ShardId shard);

    /// <summary>The same as <see cref="RemoveShardAsync"/>, reporting through <paramref name="onDone"/> on the journal's writer thread (for actors).</summary>
    void RemoveShard(ShardId shard, Action<Exception?> onDone);

    /// <summary>The shards with any state in the log.</summary>
    IReadOnlyCollection<ShardId> Shards { get; }

    /// <summary>The shard's log bounds: entries exist from <c>Compacted + 1</c> to <c>Last</c>.</summary>
    JournalBounds Bounds(ShardId shard);

    /// <summary>The term of the entry at <paramref name="index"/>, or of the compaction point; null when unknown.</summary>
    Term? TermAt(ShardId shard, LogIndex index);

    /// <summary>Entries from <paramref name="from"/> to <paramref name="to"/> inclusive, stopping early once <paramref name="maxBytes"/> is reached (at least one entry is returned).</summary>
    IReadOnlyList<JournalEntry> Read(ShardId shard, LogIndex from, LogIndex to, long maxBytes = long.MaxValue);

    /// <summary>The last recorded hard state of <paramref name="shard"/>, if any.</summary>
    HardState? GetHardState(ShardId shard);
}
