namespace AkkaKv.Persistence.Wal;

/// <summary>Work for the log's writer thread; each completes its task once durable (or failed).</summary>
internal abstract record WalRequest
{
    private TaskCompletionSource? _done;

    private protected WalRequest() { }

    /// <summary>When set, reported to instead of a task (on the writer thread).</summary>
    public Action<Exception?>? Callback { get; init; }

    /// <summary>The task of a caller that awaits (created only for those).</summary>
    public Task Task => (_done ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).Task;

    public void Succeed()
    {
        if (Callback is { } callback)
        {
            callback(null);
        }
        else
        {
            _done?.TrySetResult();
        }
    }

    public void Fail(Exception cause)
    {
        if (Callback is { } callback)
        {
            callback(cause);
        }
        else
        {
            _done?.TrySetException(cause);
        }
    }
}

/// <summary>Append entries (and optionally a hard state) to a shard.</summary>
internal sealed record AppendRequest(ShardId Shard, IReadOnlyList<JournalEntry> Entries, HardState? HardState) : WalRequest
{
    /// <summary>Needs no fsync of its own: a group commit of only such requests is written, not fsynced.</summary>
    public bool Unsynced { get; init; }
}

/// <summary>Discard a shard's entries from an index on.</summary>
internal sealed record TruncateRequest(ShardId Shard, LogIndex From) : WalRequest;

/// <summary>Void everything recorded for a shard (its replica left this node).</summary>
internal sealed record RemoveShardRequest(ShardId Shard) : WalRequest;

/// <summary>Mark a shard's entries up to an index as covered by a snapshot.</summary>
internal sealed record CompactRequest(ShardId Shard, LogIndex UpTo, Term Term) : WalRequest;
