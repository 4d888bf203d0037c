namespace AkkaKv.Hosting.Hocon;

/// <summary>
/// Values written side by side (<c>${a} "b"</c>, <c>${base} { x = 1 }</c>): strings join, objects merge, arrays
/// append. Resolved once its substitutions are.
/// </summary>
public sealed class HoconConcatenation : HoconValue
{
    internal HoconConcatenation(HoconPosition position, List<HoconValue> parts) : base(position) => Parts = parts;

    /// <summary>The parts in source order.</summary>
    public List<HoconValue> Parts { get; }

    public override bool IsResolved => false;

    internal override string KindName => "concatenation";

    internal override HoconValue Clone() => new HoconConcatenation(Position, Parts.ConvertAll(part => part.Clone()));
}
