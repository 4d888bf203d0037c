namespace AkkaKv.Persistence.Wal;

/// <summary>Work for the log's writer thread; each completes its task once durable (or failed).</summary>
internal abstract record WalRequest
{
    private protected WalRequest() { }

    public TaskCompletionSource Done { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
}

/// <summary>Append entries (and optionally a hard state) to a shard.</summary>
internal sealed record AppendRequest(ShardId Shard, IReadOnlyList<JournalEntry> Entries, HardState? HardState) : WalRequest;

/// <summary>Discard a shard's entries from an index on.</summary>
internal sealed record TruncateRequest(ShardId Shard, LogIndex From) : WalRequest;

/// <summary>Mark a shard's entries up to an index as covered by a snapshot.</summary>
internal sealed record CompactRequest(ShardId Shard, LogIndex UpTo, Term Term) : WalRequest;
