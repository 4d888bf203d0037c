namespace AkkaKv;

/// <summary>Identifies a node (a server process) of the cluster. Zero means "none".</summary>
public readonly record struct NodeId(ulong Value) : IComparable<NodeId>
{
    /// <summary>No node: used where a leader or sender is unknown.</summary>
    public static readonly NodeId None = new(0);

    /// <summary>
    /// The id of the node named <paramref name="name"/>: a stable 64-bit FNV-1a hash of the UTF-8 name (never
    /// <see cref="None"/>), the same on every machine and .NET version, so every node derives every other's id from
    /// its name.
    /// </summary>
    public static NodeId FromName(string name)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        var hash = 14695981039346656037UL;
        foreach (var b in System.Text.Encoding.UTF8.GetBytes(name))
        {
            hash = (hash ^ b) * 1099511628211UL;
        }
        return new NodeId(hash == 0 ? 1 : hash);
    }

    /// <summary>True when this is <see cref="None"/>.</summary>
    public bool IsNone => Value == 0;

    public int CompareTo(NodeId other) => Value.CompareTo(other.Value);

    public static bool operator <(NodeId left, NodeId right) => left.Value < right.Value;
    public static bool operator >(NodeId left, NodeId right) => left.Value > right.Value;
    public static bool operator <=(NodeId left, NodeId right) => left.Value <= right.Value;
    public static bool operator >=(NodeId left, NodeId right) => left.Value >= right.Value;

    public override string ToString() => $"n{Value}";
}
