using AkkaKv.Store;

namespace AkkaKv.Sharding;

/// <summary>Requests a <see cref="ShardReplicaActor"/> accepts.</summary>
public abstract record ShardRequest
{
    private protected ShardRequest() { }
}

/// <summary>Journal and apply a write. Replied to with <see cref="WriteReply"/>, or <c>Status.Failure</c> when the journal failed.</summary>
public sealed record WriteRequest(KvCommand Command) : ShardRequest;

/// <summary>Read one key from the applied state. Replied to with <see cref="ReadReply"/>.</summary>
public sealed record ReadRequest(string Key) : ShardRequest;

/// <summary>List keys with a prefix. Replied to with <see cref="ScanReply"/>.</summary>
public sealed record ScanRequest(string Prefix, int Limit) : ShardRequest;

/// <summary>Report the shard's state. Replied to with <see cref="ShardStatus"/>.</summary>
public sealed record GetShardStatus : ShardRequest
{
    public static readonly GetShardStatus Instance = new();
}

/// <summary>Replies of a <see cref="ShardReplicaActor"/>.</summary>
public abstract record ShardReply
{
    private protected ShardReply() { }
}

/// <summary>The outcome of a durable, applied write.</summary>
public sealed record WriteReply(KvResult Result) : ShardReply;

/// <summary>The key's value, or null when absent.</summary>
public sealed record ReadReply(KvValue? Value) : ShardReply;

/// <summary>Keys with their versions, in order.</summary>
public sealed record ScanReply(IReadOnlyList<KeyVersion> Keys) : ShardReply;

/// <summary>A shard's counters.</summary>
public sealed record ShardStatus(ShardId Shard, LogIndex AppliedIndex, LogIndex SnapshotIndex, int Keys, int PendingWrites) : ShardReply;

/// <summary>A key and its version.</summary>
public readonly record struct KeyVersion(string Key, LogIndex Version);
