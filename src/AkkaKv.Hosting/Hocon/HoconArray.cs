namespace AkkaKv.Hosting.Hocon;

/// <summary>A HOCON array.</summary>
public sealed class HoconArray : HoconValue
{
    internal HoconArray(HoconPosition position, List<HoconValue> items) : base(position) => Items = items;

    /// <summary>The elements in order.</summary>
    public List<HoconValue> Items { get; }

    public override bool IsResolved => Items.TrueForAll(item => item.IsResolved);

    internal override string KindName => "array";

    internal override HoconValue Clone() => new HoconArray(Position, Items.ConvertAll(item => item.Clone()));
}
