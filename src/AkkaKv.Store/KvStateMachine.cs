namespace AkkaKv.Store;

/// <summary>
/// The state of one shard: an ordered map key → (value, version) plus the idempotency table. Apply is
/// deterministic: the same commands at the same indexes give the same state and the same snapshot bytes on every
/// replica. Not thread-safe: owned by the shard's actor.
/// </summary>
public sealed partial class KvStateMachine
{
    private OrderedMap<KvValue> _data = new(); // replaced whole by a snapshot restore

    /// <summary>A state machine remembering up to <paramref name="idempotencyCapacity"/> write outcomes for <paramref name="idempotencyRetentionMs"/>.</summary>
    public KvStateMachine(int idempotencyCapacity = 100_000, long idempotencyRetentionMs = 24 * 60 * 60 * 1000)
    {
        Idempotency = new IdempotencyTable(idempotencyCapacity, idempotencyRetentionMs);
    }

    /// <summary>The index of the last applied command.</summary>
    public LogIndex AppliedIndex { get; private set; }

    /// <summary>Number of keys.</summary>
    public int Count => _data.Count;

    /// <summary>The write outcomes remembered for retries.</summary>
    public IdempotencyTable Idempotency { get; }

    /// <summary>Applies the command at <paramref name="index"/> (which must follow the last applied one) and returns its outcome.</summary>
    public KvResult Apply(LogIndex index, KvCommand command)
    {
        ArgumentNullException.ThrowIfNull(command);
        Invariant.Check(index > AppliedIndex, $"apply {index} after {AppliedIndex}");
        AppliedIndex = index;
        if (command.IdempotencyKey is { } idempotencyKey && Idempotency.TryGet(idempotencyKey, out var first))
        {
            return first;
        }
        var result = Execute(index, command);
        if (command.IdempotencyKey is { } key)
        {
            Idempotency.Record(key, result, command.TimestampMs);
        }
        return result;
    }

    /// <summary>Marks <paramref name="index"/> applied without a command (a no-op or configuration entry).</summary>
    public void Skip(LogIndex index)
    {
        Invariant.Check(index > AppliedIndex, $"skip {index} after {AppliedIndex}");
        AppliedIndex = index;
    }

    /// <summary>The value of <paramref name="key"/>, or null.</summary>
    public KvValue? Get(string key) => _data.GetValueOrDefault(key);

    /// <summary>Keys starting with <paramref name="prefix"/>, in order, with versions; at most <paramref name="limit"/>.</summary>
    public IReadOnlyList<(string Key, LogIndex Version)> Scan(string prefix, int limit)
    {
        var result = new List<(string, LogIndex)>();
        foreach (var (key, value) in _data.WithPrefix(prefix))
        {
            if (result.Count >= limit)
            {
                break;
            }
            result.Add((key, value.Version));
        }
        return result;
    }

    private KvResult Execute(LogIndex index, KvCommand command)
    {
        var current = _data.GetValueOrDefault(command.Key);
        var failed = command.Condition switch
        {
            KvCondition.Absent when current is not null => true,
            KvCondition.VersionIs expected when current?.Version != expected.Version => true,
            _ => false,
        };
        if (failed)
        {
            return new KvResult.ConditionFailed(current?.Version);
        }
        switch (command)
        {
            case KvPut put:
                _data.Set(put.Key, new KvValue(put.Value.ToArray(), index));
                return new KvResult.Written(index);
            case KvAppend append:
                var joined = new byte[(current?.Value.Length ?? 0) + append.Value.Length];
                current?.Value.Span.CopyTo(joined);
                append.Value.Span.CopyTo(joined.AsSpan(current?.Value.Length ?? 0));
                _data.Set(append.Key, new KvValue(joined, index));
                return new KvResult.Written(index);
            case KvDelete:
                return _data.Remove(command.Key) ? new KvResult.Deleted() : new KvResult.NotFound();
            default:
                throw new ArgumentException($"Unknown command {command.GetType().Name}", nameof(command));
        }
    }
}
