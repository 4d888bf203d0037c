using AkkaKv.Hosting.Hocon;

namespace AkkaKv.Hosting.Tests;

/// <summary>Typed reads of a resolved document: units, booleans, lists, and errors that name path and position.</summary>
public sealed class HoconDocumentTests
{
    private static HoconDocument Parse(string text) => HoconDocument.Parse(text, "test.conf", _ => null);

    [Theory]
    [InlineData("250ms", 250)]
    [InlineData("5s", 5_000)]
    [InlineData("5 seconds", 5_000)]
    [InlineData("2m", 120_000)]
    [InlineData("1.5h", 5_400_000)]
    [InlineData("1d", 86_400_000)]
    [InlineData("100", 100)]
    [InlineData("500us", 0.5)]
    [InlineData("00:00:03", 3_000)]
    public void Durations_read_with_their_units(string text, double milliseconds) =>
        Assert.Equal(TimeSpan.FromMilliseconds(milliseconds), Parse($"t = \"{text}\"").GetDuration("t"));

    [Theory]
    [InlineData("64MiB", 64L * 1024 * 1024)]
    [InlineData("64M", 64L * 1024 * 1024)]
    [InlineData("512KB", 512_000)]
    [InlineData("512 KiB", 512 * 1024)]
    [InlineData("1g", 1024L * 1024 * 1024)]
    [InlineData("1GB", 1_000_000_000)]
    [InlineData("42", 42)]
    public void Sizes_read_with_their_units(string text, long bytes) =>
        Assert.Equal(new ByteSize(bytes), Parse($"s = \"{text}\"").GetByteSize("s"));

    [Theory]
    [InlineData("5 fortnights")]
    [InlineData("-5s")]
    [InlineData("s")]
    [InlineData("")]
    public void Bad_durations_are_errors_naming_path_and_position(string text)
    {
        var error = Assert.Throws<HoconException>(() => Parse($"x {{ t = \"{text}\" }}").GetDuration("x.t"));
        Assert.StartsWith("test.conf:1:", error.Message, StringComparison.Ordinal);
        Assert.Contains("x.t: expected a duration", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Booleans_accept_the_hocon_spellings()
    {
        var document = Parse("a = yes\nb = off\nc = true\nd = maybe");
        Assert.True(document.GetBoolean("a"));
        Assert.False(document.GetBoolean("b"));
        Assert.True(document.GetBoolean("c"));
        Assert.Throws<HoconException>(() => document.GetBoolean("d"));
    }

    [Fact]
    public void Lists_integers_and_missing_paths()
    {
        var document = Parse("seeds = [a, b]\nn = 42\nnot-a-number = 4x2\nobj { k = v }");
        Assert.Equal(["a", "b"], document.GetStringList("seeds"));
        Assert.Equal(42, document.GetInt64("n"));
        Assert.Contains("expected an integer", Assert.Throws<HoconException>(() => document.GetInt64("not-a-number")).Message, StringComparison.Ordinal);
        Assert.Contains("No setting at 'missing'", Assert.Throws<HoconException>(() => document.GetString("missing")).Message, StringComparison.Ordinal);
        Assert.Contains("found an object", Assert.Throws<HoconException>(() => document.GetString("obj")).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Later_documents_override_earlier_ones_and_see_their_values()
    {
        var document = HoconDocument.Load(
            [("app { port = 1, host = h }", "reference.conf"), ("app.port = 2\nurl = ${app.host}\":\"${app.port}", "node.conf")],
            _ => null);
        Assert.Equal("h:2", document.GetString("url"));
        Assert.Equal("node.conf", document.GetValue("app.port")!.Position.File);
    }

    [Fact]
    public void Optional_environment_substitution_overrides_only_when_set()
    {
        const string Text = "port = 2551\nport = ${?AKKAKV_PORT}";
        Assert.Equal(2551, HoconDocument.Parse(Text, "t.conf", _ => null).GetInt64("port"));
        Assert.Equal(9999, HoconDocument.Parse(Text, "t.conf", name => name == "AKKAKV_PORT" ? "9999" : null).GetInt64("port"));
    }

    [Fact]
    public void Quoted_path_segments_keep_their_dots() =>
        Assert.Equal(["a", "b.c", "d"], HoconDocument.SplitPath("a.\"b.c\".d"));
}
