namespace AkkaKv.Hosting.Hocon;

/// <summary>
/// <c>${path}</c> or <c>${?path}</c>: replaced at resolution by the value at <see cref="Path"/>, else by the
/// environment variable of that name; an optional one that finds neither disappears.
/// </summary>
public sealed class HoconSubstitution : HoconValue
{
    internal HoconSubstitution(HoconPosition position, IReadOnlyList<string> path, bool optional) : base(position)
    {
        Path = path;
        IsOptional = optional;
    }

    /// <summary>The referenced path.</summary>
    public IReadOnlyList<string> Path { get; }

    /// <summary>True for <c>${?path}</c>.</summary>
    public bool IsOptional { get; }

    /// <summary>
    /// The value the field had before this optional substitution was assigned: an absent <c>${?X}</c> leaves the
    /// field as it was (<c>port = 2551</c> then <c>port = ${?PORT}</c>).
    /// </summary>
    internal HoconValue? Fallback { get; init; }

    /// <summary>Set for a self-reference with no earlier value: only the environment can answer it.</summary>
    internal bool EnvironmentOnly { get; init; }

    public override bool IsResolved => false;

    internal override string KindName => "substitution";

    internal string PathText => string.Join('.', Path);

    internal override HoconValue Clone() => this;

    public override string ToString() => IsOptional ? $"${{?{PathText}}}" : $"${{{PathText}}}";
}
