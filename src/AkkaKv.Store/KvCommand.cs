namespace AkkaKv.Store;

/// <summary>
/// A write to a shard, as it is stored in the log. <see cref="IdempotencyKey"/> (optional) makes a retried write
/// return its first outcome instead of applying twice; <see cref="TimestampMs"/> is the proposer's clock, used only
/// to expire idempotency records deterministically (every replica sees the same value).
/// </summary>
public abstract record KvCommand(string Key, KvCondition Condition, string? IdempotencyKey, long TimestampMs);

/// <summary>Sets the value. Replied to with <see cref="KvResult.Written"/> or <see cref="KvResult.ConditionFailed"/>.</summary>
public sealed record KvPut(string Key, ReadOnlyMemory<byte> Value, KvCondition Condition, string? IdempotencyKey = null, long TimestampMs = 0)
    : KvCommand(Key, Condition, IdempotencyKey, TimestampMs);

/// <summary>Appends to the value (an absent key acts as empty). Replied to with <see cref="KvResult.Written"/>.</summary>
public sealed record KvAppend(string Key, ReadOnlyMemory<byte> Value, KvCondition Condition, string? IdempotencyKey = null, long TimestampMs = 0)
    : KvCommand(Key, Condition, IdempotencyKey, TimestampMs);

/// <summary>Removes the key. Replied to with <see cref="KvResult.Deleted"/>, <see cref="KvResult.NotFound"/> or <see cref="KvResult.ConditionFailed"/>.</summary>
public sealed record KvDelete(string Key, KvCondition Condition, string? IdempotencyKey = null, long TimestampMs = 0)
    : KvCommand(Key, Condition, IdempotencyKey, TimestampMs);
