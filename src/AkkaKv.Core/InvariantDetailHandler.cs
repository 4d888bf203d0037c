using System.Runtime.CompilerServices;

namespace AkkaKv;

/// <summary>
/// The detail of an <see cref="Invariant.Check(bool, ref InvariantDetailHandler, string?)"/>: the compiler builds the
/// interpolated text through this handler, which appends nothing while the condition holds.
/// </summary>
[InterpolatedStringHandler]
public ref struct InvariantDetailHandler
{
    private DefaultInterpolatedStringHandler _inner;
    private readonly bool _active;

    public InvariantDetailHandler(int literalLength, int formattedCount, bool condition, out bool shouldAppend)
    {
        _active = !condition;
        shouldAppend = _active;
        _inner = _active ? new DefaultInterpolatedStringHandler(literalLength, formattedCount) : default;
    }

    public void AppendLiteral(string value) => _inner.AppendLiteral(value);

    public void AppendFormatted<T>(T value) => _inner.AppendFormatted(value);

    public void AppendFormatted<T>(T value, string? format) => _inner.AppendFormatted(value, format);

    /// <summary>The text (empty when the condition held).</summary>
    public string ToStringAndClear() => _active ? _inner.ToStringAndClear() : "";
}
