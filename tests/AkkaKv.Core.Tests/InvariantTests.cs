namespace AkkaKv.Core.Tests;

/// <summary>
/// Invariant checks stay on in every build and name the failed condition; an interpolated detail is formatted only
/// when the check fails (hot paths pay nothing for it).
/// </summary>
public sealed class InvariantTests
{
    [Fact]
    public void Failed_check_throws_naming_the_condition()
    {
        var commit = 5;
        var lastIndex = 3;
        var failure = Assert.Throws<InvariantViolationException>(() => Invariant.Check(commit <= lastIndex));
        Assert.Contains("commit <= lastIndex", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Failed_check_with_detail_includes_the_detail()
    {
        var failure = Assert.Throws<InvariantViolationException>(() => Invariant.Check(false, "log shrank"));
        Assert.Contains("log shrank", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Passing_check_does_nothing() => Invariant.Check(1 + 1 == 2);

    private sealed class CountingFormattable
    {
        public int Formatted { get; private set; }

        public override string ToString()
        {
            Formatted++;
            return "formatted";
        }
    }

    [Fact]
    public void An_interpolated_detail_is_formatted_only_when_the_check_fails()
    {
        var value = new CountingFormattable();
        for (var i = 0; i < 3; i++)
        {
            Invariant.Check(i >= 0, $"never shown: {value}");
        }
        Assert.Equal(0, value.Formatted);
        var index = 7;
        var failure = Assert.Throws<InvariantViolationException>(() => Invariant.Check(index < 5, $"index {index} of {value}, hex {index:x2}"));
        Assert.Equal(1, value.Formatted);
        Assert.Contains("index < 5: index 7 of formatted, hex 07", failure.Message, StringComparison.Ordinal);
    }
}
