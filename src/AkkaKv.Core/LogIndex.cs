namespace AkkaKv;

/// <summary>A position in a Raft log; the first entry is 1 and zero means "before the first entry".</summary>
public readonly record struct LogIndex(ulong Value) : IComparable<LogIndex>
{
    /// <summary>The position before the first entry.</summary>
    public static readonly LogIndex Zero = new(0);

    /// <summary>The position after this one.</summary>
    public LogIndex Next() => new(checked(Value + 1));

    /// <summary>The position before this one; invalid on <see cref="Zero"/>.</summary>
    public LogIndex Previous()
    {
        Invariant.Check(Value > 0);
        return new(Value - 1);
    }

    /// <summary>This position moved by <paramref name="count"/> entries.</summary>
    public LogIndex Plus(ulong count) => new(checked(Value + count));

    public int CompareTo(LogIndex other) => Value.CompareTo(other.Value);

    public static bool operator <(LogIndex left, LogIndex right) => left.Value < right.Value;
    public static bool operator >(LogIndex left, LogIndex right) => left.Value > right.Value;
    public static bool operator <=(LogIndex left, LogIndex right) => left.Value <= right.Value;
    public static bool operator >=(LogIndex left, LogIndex right) => left.Value >= right.Value;

    public static LogIndex Min(LogIndex left, LogIndex right) => left <= right ? left : right;
    public static LogIndex Max(LogIndex left, LogIndex right) => left >= right ? left : right;

    public override string ToString() => $"i{Value}";
}
