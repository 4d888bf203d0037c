namespace AkkaKv;

/// <summary>Identifies a node (a server process) of the cluster. Zero means "none".</summary>
public readonly record struct NodeId(ulong Value) : IComparable<NodeId>
{
    /// <summary>No node: used where a leader or sender is unknown.</summary>
    public static readonly NodeId None = new(0);

    /// <summary>True when this is <see cref="None"/>.</summary>
    public bool IsNone => Value == 0;

    public int CompareTo(NodeId other) => Value.CompareTo(other.Value);

    public static bool operator <(NodeId left, NodeId right) => left.Value < right.Value;
    public static bool operator >(NodeId left, NodeId right) => left.Value > right.Value;
    public static bool operator <=(NodeId left, NodeId right) => left.Value <= right.Value;
    public static bool operator >=(NodeId left, NodeId right) => left.Value >= right.Value;

    public override string ToString() => $"n{Value}";
}
