namespace AkkaKv.Hosting.Hocon;

/// <summary>Where a HOCON value or error is: file (or a label such as <c>--set</c>), 1-based line and column.</summary>
public readonly record struct HoconPosition(string File, int Line, int Column)
{
    public override string ToString() => $"{File}:{Line}:{Column}";
}
