namespace AkkaKv;

/// <summary>A Raft term: a logical clock that only grows (Raft §5.1).</summary>
public readonly record struct Term(ulong Value) : IComparable<Term>
{
    /// <summary>The term before any election.</summary>
    public static readonly Term Zero = new(0);

    /// <summary>The term that follows this one.</summary>
    public Term Next() => new(checked(Value + 1));

    public int CompareTo(Term other) => Value.CompareTo(other.Value);

    public static bool operator <(Term left, Term right) => left.Value < right.Value;
    public static bool operator >(Term left, Term right) => left.Value > right.Value;
    public static bool operator <=(Term left, Term right) => left.Value <= right.Value;
    public static bool operator >=(Term left, Term right) => left.Value >= right.Value;

    public override string ToString() => $"t{Value}";
}
