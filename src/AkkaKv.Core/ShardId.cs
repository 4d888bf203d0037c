namespace AkkaKv;

/// <summary>Identifies a shard: one hash range of the key space, replicated as one Raft group.</summary>
public readonly record struct ShardId(uint Value) : IComparable<ShardId>
{
    public int CompareTo(ShardId other) => Value.CompareTo(other.Value);

    public static bool operator <(ShardId left, ShardId right) => left.Value < right.Value;
    public static bool operator >(ShardId left, ShardId right) => left.Value > right.Value;
    public static bool operator <=(ShardId left, ShardId right) => left.Value <= right.Value;
    public static bool operator >=(ShardId left, ShardId right) => left.Value >= right.Value;

    public override string ToString() => $"s{Value}";
}
