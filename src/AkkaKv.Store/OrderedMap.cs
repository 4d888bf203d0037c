using System.Runtime.InteropServices;

namespace AkkaKv.Store;

/// <summary>
/// Keys in ordinal order mapped to values: a hash table answers point reads and writes, a balanced tree of the keys
/// gives ordered iteration and prefix ranges. A map built from keys already in order (a snapshot) takes linear time
/// for the tree, instead of one rebalancing insertion per key. Not thread-safe.
/// </summary>
internal sealed class OrderedMap<TValue>
    where TValue : class
{
    private readonly Dictionary<string, TValue> _values;
    private readonly SortedSet<string> _keys;

    public OrderedMap()
        : this(new Dictionary<string, TValue>(StringComparer.Ordinal), new SortedSet<string>(StringComparer.Ordinal))
    {
    }

    private OrderedMap(Dictionary<string, TValue> values, SortedSet<string> keys)
    {
        _values = values;
        _keys = keys;
    }

    /// <summary>A map of <paramref name="keys"/> (strictly ascending, ordinal) and their <paramref name="values"/>, in linear time.</summary>
    public static OrderedMap<TValue> FromSorted(string[] keys, TValue[] values)
    {
        Invariant.Check(keys.Length == values.Length, "one value per key");
        var map = new Dictionary<string, TValue>(keys.Length, StringComparer.Ordinal);
        for (var i = 0; i < keys.Length; i++)
        {
            map.Add(keys[i], values[i]);
        }
        return new OrderedMap<TValue>(map, new SortedSet<string>(keys, StringComparer.Ordinal));
    }

    public int Count => _values.Count;

    public TValue? GetValueOrDefault(string key) => _values.GetValueOrDefault(key);

    /// <summary>Sets <paramref name="key"/> to <paramref name="value"/>, adding the key when new.</summary>
    public void Set(string key, TValue value)
    {
        ref var slot = ref CollectionsMarshal.GetValueRefOrAddDefault(_values, key, out var existed);
        slot = value;
        if (!existed)
        {
            _keys.Add(key);
        }
    }

    public bool Remove(string key)
    {
        if (!_values.Remove(key))
        {
            return false;
        }
        _keys.Remove(key);
        return true;
    }

    /// <summary>Every entry, in key order.</summary>
    public IEnumerable<KeyValuePair<string, TValue>> InOrder()
    {
        foreach (var key in _keys)
        {
            yield return new KeyValuePair<string, TValue>(key, _values[key]);
        }
    }

    /// <summary>The entries whose keys start with <paramref name="prefix"/>, in key order (a range of the tree, not a walk from the start).</summary>
    public IEnumerable<KeyValuePair<string, TValue>> WithPrefix(string prefix)
    {
        if (_keys.Count == 0 || string.CompareOrdinal(prefix, _keys.Max) > 0)
        {
            yield break;
        }
        foreach (var key in _keys.GetViewBetween(prefix, _keys.Max!))
        {
            if (!key.StartsWith(prefix, StringComparison.Ordinal))
            {
                yield break;
            }
            yield return new KeyValuePair<string, TValue>(key, _values[key]);
        }
    }
}
