namespace AkkaKv.Store;

/// <summary>
/// Outcomes of writes that carried an idempotency key, so a retry returns the first outcome and applies nothing.
/// Bounded (oldest evicted first) and expiring by the commands' own timestamps, so every replica evicts the same
/// records at the same log position. Part of the snapshot.
/// </summary>
public sealed class IdempotencyTable(int capacity, long retentionMs)
{
    private readonly Dictionary<string, (KvResult Result, long TimestampMs)> _results = new(StringComparer.Ordinal);
    private readonly LinkedList<string> _order = new();

    /// <summary>Records kept.</summary>
    public int Count => _results.Count;

    /// <summary>Maximum records kept.</summary>
    public int Capacity { get; } = capacity;

    /// <summary>How long a record is kept, in the commands' milliseconds.</summary>
    public long RetentionMs { get; } = retentionMs;

    /// <summary>The first outcome of the write with <paramref name="key"/>, if still remembered.</summary>
    public bool TryGet(string key, out KvResult result)
    {
        if (_results.TryGetValue(key, out var entry))
        {
            result = entry.Result;
            return true;
        }
        result = null!;
        return false;
    }

    /// <summary>Remembers an outcome, after expiring records older than the retention and evicting beyond capacity.</summary>
    public void Record(string key, KvResult result, long timestampMs)
    {
        Expire(timestampMs);
        if (_results.ContainsKey(key))
        {
            return;
        }
        _results[key] = (result, timestampMs);
        _order.AddLast(key);
        while (_results.Count > Capacity && _order.First is { } oldest)
        {
            _results.Remove(oldest.Value);
            _order.RemoveFirst();
        }
    }

    /// <summary>Records in insertion order (for snapshots).</summary>
    public IEnumerable<(string Key, KvResult Result, long TimestampMs)> Entries()
    {
        foreach (var key in _order)
        {
            var (result, timestamp) = _results[key];
            yield return (key, result, timestamp);
        }
    }

    /// <summary>Removes everything (before a restore).</summary>
    public void Clear()
    {
        _results.Clear();
        _order.Clear();
    }

    private void Expire(long nowMs)
    {
        while (_order.First is { } oldest && nowMs - _results[oldest.Value].TimestampMs > RetentionMs)
        {
            _results.Remove(oldest.Value);
            _order.RemoveFirst();
        }
    }
}
