namespace AkkaKv.TestKit.Linearizability;

/// <summary>The verdict on a history: linearizable, or not with the key and operations the search got stuck on.</summary>
public sealed record LinearizabilityResult(bool IsLinearizable, string? Key, string Explanation, long StatesExplored)
{
    public override string ToString() => IsLinearizable
        ? $"linearizable ({StatesExplored} states explored)"
        : $"NOT linearizable on key {Key}: {Explanation}";
}
