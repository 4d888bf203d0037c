namespace AkkaKv.Hosting.Hocon;

/// <summary>
/// A node of a HOCON tree: an object, array or scalar once resolved; a substitution or concatenation before.
/// </summary>
public abstract class HoconValue
{
    private protected HoconValue(HoconPosition position) => Position = position;

    /// <summary>Where the value starts in its source.</summary>
    public HoconPosition Position { get; }

    /// <summary>False while the value still contains substitutions.</summary>
    public abstract bool IsResolved { get; }

    /// <summary>A deep copy, so a substituted value is never shared between two places.</summary>
    internal abstract HoconValue Clone();

    /// <summary>A short name of the kind of value, for error messages.</summary>
    internal abstract string KindName { get; }
}
