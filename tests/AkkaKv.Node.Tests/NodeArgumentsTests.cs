namespace AkkaKv.Node.Tests;

/// <summary>The node's command line: accepted forms, and a one-line reason for everything else.</summary>
public sealed class NodeArgumentsTests
{
    [Fact]
    public void No_arguments_means_the_embedded_default()
    {
        var parsed = NodeArguments.Parse([]);
        Assert.Null(parsed.ConfigFile);
        Assert.Empty(parsed.Overrides);
    }

    [Fact]
    public void Config_and_repeated_sets_are_collected_in_order()
    {
        var parsed = NodeArguments.Parse(["--config", "node1.conf", "--set", "a.b=1", "--set=c.d=2"]);
        Assert.Equal("node1.conf", parsed.ConfigFile);
        Assert.Equal(["a.b=1", "c.d=2"], parsed.Overrides);
    }

    [Theory]
    [InlineData(new[] { "--bogus" }, "unknown argument '--bogus'")]
    [InlineData(new[] { "--config" }, "--config needs a value")]
    [InlineData(new[] { "--set", "--config", "x" }, "--set needs a value")]
    [InlineData(new[] { "--config", "a", "--config", "b" }, "--config given twice")]
    public void Bad_arguments_give_one_clear_reason(string[] args, string reason) =>
        Assert.Contains(reason, Assert.Throws<ArgumentException>(() => NodeArguments.Parse(args)).Message, StringComparison.Ordinal);
}
