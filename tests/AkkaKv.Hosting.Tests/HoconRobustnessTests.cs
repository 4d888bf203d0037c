using AkkaKv.Hosting.Hocon;

namespace AkkaKv.Hosting.Tests;

/// <summary>
/// Hostile HOCON: random corruptions of the valid corpus, pathological nesting and very long input. Whatever the
/// input, the parser either succeeds or throws <see cref="HoconException"/> with a position; nothing else.
/// Method: seeded mutations (the seed is in the test name, so a failure replays exactly).
/// </summary>
public sealed class HoconRobustnessTests
{
    private static readonly string[] Corpus = Directory.GetFiles(Path.Combine(AppContext.BaseDirectory, "corpus", "valid"), "*.conf")
        .Select(File.ReadAllText).ToArray();

    private const string Alphabet = "{}[]\"$?.,:=+#/\\\n \tax1é\0";

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    [InlineData(5)]
    public void Random_corruptions_never_escape_as_anything_but_hocon_errors(int seed)
    {
        var random = new Random(seed);
        for (var iteration = 0; iteration < 400; iteration++)
        {
            var text = Mutate(Corpus[random.Next(Corpus.Length)], random);
            try
            {
                HoconDocument.Load([(text, "fuzz.conf")], _ => null, new NoIncludes());
            }
            catch (HoconException error)
            {
                Assert.True(error.Position is not null || error.Message.Length > 0, $"AKKAKV_SEED={seed} iteration {iteration}: error without text");
            }
            catch (Exception other)
            {
                Assert.Fail($"AKKAKV_SEED={seed} iteration {iteration}: {other.GetType().Name} escaped for input:\n{text}\n{other}");
            }
        }
    }

    [Fact]
    public void Deep_nesting_is_refused_with_a_position_not_a_stack_overflow()
    {
        var text = "a = " + new string('[', 100_000);
        var error = Assert.Throws<HoconException>(() => HoconDocument.Parse(text, "deep.conf", _ => null));
        Assert.Contains("nested deeper than", error.Message, StringComparison.Ordinal);
        var objects = string.Concat(Enumerable.Repeat("a {", 100_000));
        Assert.Throws<HoconException>(() => HoconDocument.Parse(objects, "deep.conf", _ => null));
    }

    [Fact]
    public void A_large_document_parses()
    {
        var text = string.Join('\n', Enumerable.Range(0, 50_000).Select(i => $"section{i % 100}.key{i} = \"value {i}\""));
        var document = HoconDocument.Parse(text, "large.conf", _ => null);
        Assert.Equal("value 49999", document.GetString("section99.key49999"));
    }

    [Fact]
    public void A_long_substitution_chain_resolves()
    {
        var text = "k0 = start\n" + string.Join('\n', Enumerable.Range(1, 200).Select(i => $"k{i} = ${{k{i - 1}}}"));
        Assert.Equal("start", HoconDocument.Parse(text, "chain.conf", _ => null).GetString("k200"));
    }

    private static string Mutate(string text, Random random)
    {
        var chars = text.ToList();
        var edits = random.Next(1, 6);
        for (var i = 0; i < edits; i++)
        {
            var position = chars.Count == 0 ? 0 : random.Next(chars.Count);
            switch (random.Next(3))
            {
                case 0 when chars.Count > 0:
                    chars.RemoveAt(position);
                    break;
                case 1:
                    chars.Insert(position, Alphabet[random.Next(Alphabet.Length)]);
                    break;
                default:
                    if (chars.Count > 0)
                    {
                        chars[position] = Alphabet[random.Next(Alphabet.Length)];
                    }
                    break;
            }
        }
        return new string(chars.ToArray());
    }

    private sealed class NoIncludes : IHoconIncludeResolver
    {
        public (string Text, string File)? Resolve(string name, string fromFile) => null;
    }
}
