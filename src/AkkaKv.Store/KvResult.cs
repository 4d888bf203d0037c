namespace AkkaKv.Store;

/// <summary>The outcome of applying a write; expected outcomes are values, never exceptions.</summary>
public abstract record KvResult
{
    private protected KvResult() { }

    /// <summary>The key now holds the written value at <paramref name="Version"/>.</summary>
    public sealed record Written(LogIndex Version) : KvResult;

    /// <summary>The key was removed.</summary>
    public sealed record Deleted : KvResult;

    /// <summary>A delete found no key.</summary>
    public sealed record NotFound : KvResult;

    /// <summary>The precondition did not hold; <paramref name="CurrentVersion"/> is the key's version, or null when absent.</summary>
    public sealed record ConditionFailed(LogIndex? CurrentVersion) : KvResult;
}
