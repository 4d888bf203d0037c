namespace AkkaKv.Hosting.Hocon;

/// <summary>A HOCON object: fields in first-definition order. Assigning an object to an object field merges them.</summary>
public sealed class HoconObject : HoconValue
{
    private readonly Dictionary<string, HoconValue> _fields = new(StringComparer.Ordinal);
    private readonly List<string> _order = [];

    internal HoconObject(HoconPosition position) : base(position) { }

    /// <summary>Field names in definition order.</summary>
    public IReadOnlyList<string> Keys => _order;

    public override bool IsResolved => _order.TrueForAll(key => _fields[key].IsResolved);

    internal override string KindName => "object";

    /// <summary>The value of field <paramref name="key"/>, if present.</summary>
    public bool TryGetField(string key, out HoconValue value) => _fields.TryGetValue(key, out value!);

    /// <summary>The value at a dotted path (already split), if present and reachable through objects.</summary>
    public HoconValue? GetPath(IReadOnlyList<string> path)
    {
        HoconValue current = this;
        foreach (var key in path)
        {
            if (current is not HoconObject obj || !obj.TryGetField(key, out var next))
            {
                return null;
            }
            current = next;
        }
        return current;
    }

    /// <summary>Sets field <paramref name="key"/>, merging when both old and new values are objects.</summary>
    internal void Set(string key, HoconValue value)
    {
        if (_fields.TryGetValue(key, out var existing))
        {
            _fields[key] = (existing, value) switch
            {
                (HoconObject oldObject, HoconObject newObject) => Merge(oldObject, newObject),
                (_, HoconSubstitution { IsOptional: true, Fallback: null } optional) =>
                    new HoconSubstitution(optional.Position, optional.Path, optional: true) { Fallback = existing, EnvironmentOnly = optional.EnvironmentOnly },
                _ => value,
            };
            return;
        }
        _fields[key] = value;
        _order.Add(key);
    }

    /// <summary>Replaces a field's value without merging (resolution writes back resolved values).</summary>
    internal void Replace(string key, HoconValue value)
    {
        if (!_fields.ContainsKey(key))
        {
            _order.Add(key);
        }
        _fields[key] = value;
    }

    internal void Remove(string key)
    {
        if (_fields.Remove(key))
        {
            _order.Remove(key);
        }
    }

    /// <summary>
    /// <paramref name="overlay"/> merged onto <paramref name="underlay"/>: overlay's fields win, nested objects merge
    /// recursively. Neither input is changed.
    /// </summary>
    internal static HoconObject Merge(HoconObject underlay, HoconObject overlay)
    {
        var merged = (HoconObject)underlay.Clone();
        foreach (var key in overlay._order)
        {
            merged.Set(key, overlay._fields[key].Clone());
        }
        return merged;
    }

    internal override HoconValue Clone()
    {
        var copy = new HoconObject(Position);
        foreach (var key in _order)
        {
            copy._fields[key] = _fields[key].Clone();
            copy._order.Add(key);
        }
        return copy;
    }
}
