namespace AkkaKv.Store;

/// <summary>A precondition on a key's current state, checked atomically with the write.</summary>
public abstract record KvCondition
{
    private protected KvCondition() { }

    /// <summary>No precondition.</summary>
    public static readonly KvCondition None = new Always();

    /// <summary>The key must not exist (HTTP <c>If-None-Match: *</c>).</summary>
    public static readonly KvCondition MustNotExist = new Absent();

    /// <summary>The key must exist at exactly <paramref name="Version"/> (HTTP <c>If-Match</c>).</summary>
    public sealed record VersionIs(LogIndex Version) : KvCondition;

    /// <summary>Unconditional.</summary>
    public sealed record Always : KvCondition;

    /// <summary>Key absent.</summary>
    public sealed record Absent : KvCondition;
}
