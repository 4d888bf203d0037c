namespace AkkaKv.Hosting.Hocon;

/// <summary>A string, number, boolean or null. Numbers and booleans keep their source text.</summary>
public sealed class HoconScalar : HoconValue
{
    internal HoconScalar(HoconPosition position, string? text, bool quoted) : base(position)
    {
        Text = text;
        IsQuoted = quoted;
    }

    /// <summary>The text, or null for HOCON <c>null</c>.</summary>
    public string? Text { get; }

    /// <summary>True when written in quotes (so <c>"null"</c> is the string, not null).</summary>
    public bool IsQuoted { get; }

    /// <summary>True for unquoted whitespace between concatenated values.</summary>
    internal bool IsWhitespace { get; init; }

    public override bool IsResolved => true;

    internal override string KindName => Text is null ? "null" : "string";

    internal override HoconValue Clone() => this;

    public override string ToString() => Text ?? "null";
}
