namespace AkkaKv.Core.Tests;

/// <summary>Invariant checks stay on in every build and name the failed condition.</summary>
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
}
