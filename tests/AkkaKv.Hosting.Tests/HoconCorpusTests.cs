using AkkaKv.Hosting.Configuration;
using AkkaKv.Hosting.Hocon;

namespace AkkaKv.Hosting.Tests;

/// <summary>
/// The HOCON corpus: every valid document flattens to exactly its <c>.expected</c> keys; every invalid one fails
/// with a <see cref="HoconException"/> at the listed line:column, never another exception or a silent default.
/// </summary>
public sealed class HoconCorpusTests
{
    private static readonly string CorpusDirectory = Path.Combine(AppContext.BaseDirectory, "corpus");

    private static string? TestEnvironment(string name) => name == "AKKAKV_TEST_HOME" ? "/home/test" : null;

    public static TheoryData<string> ValidDocuments() =>
        [.. Directory.GetFiles(Path.Combine(CorpusDirectory, "valid"), "*.conf").Select(file => Path.GetFileNameWithoutExtension(file)).Order()];

    public static TheoryData<string, string, string> InvalidDocuments()
    {
        var data = new TheoryData<string, string, string>();
        foreach (var line in File.ReadAllLines(Path.Combine(CorpusDirectory, "invalid", "expected-errors.txt")))
        {
            if (line.StartsWith('#') || line.Length == 0)
            {
                continue;
            }
            var parts = line.Split(": ", 3);
            data.Add(parts[0], parts[1], parts[2]);
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(ValidDocuments))]
    public void Valid_document_flattens_to_its_expected_keys(string name)
    {
        var file = Path.Combine(CorpusDirectory, "valid", name + ".conf");
        var provider = new HoconConfigurationProvider(new HoconConfigurationSource { IncludeReference = false, Files = [file], Environment = TestEnvironment });
        provider.Load();
        var actual = provider.GetChildKeys([], null).Distinct().SelectMany(key => Flatten(provider, key)).Order(StringComparer.Ordinal).ToList();
        var expected = File.ReadAllLines(Path.Combine(CorpusDirectory, "valid", name + ".expected")).Where(line => line.Length > 0).Order(StringComparer.Ordinal).ToList();
        Assert.Equal(expected, actual);
    }

    [Theory]
    [MemberData(nameof(InvalidDocuments))]
    public void Invalid_document_is_rejected_with_its_position(string file, string lineColumn, string fragment)
    {
        var path = Path.Combine(CorpusDirectory, "invalid", file);
        var error = Assert.Throws<HoconException>(() => HoconDocument.Load([(File.ReadAllText(path), path)], TestEnvironment));
        Assert.True(error.Message.Contains($"{file}:{lineColumn}: ", StringComparison.Ordinal), $"wrong position: {error.Message}");
        Assert.True(error.Message.Contains(fragment, StringComparison.Ordinal), $"wrong message: {error.Message}");
    }

    [Fact]
    public void Every_invalid_document_in_the_corpus_has_an_expectation()
    {
        var listed = InvalidDocuments().Select(row => (string)row[0]).ToHashSet();
        var files = Directory.GetFiles(Path.Combine(CorpusDirectory, "invalid"), "*.conf").Select(file => Path.GetFileName(file));
        Assert.All(files, file => Assert.Contains(file, listed));
    }

    private static IEnumerable<string> Flatten(HoconConfigurationProvider provider, string key)
    {
        var children = provider.GetChildKeys([], key).Distinct().ToList();
        if (children.Count == 0)
        {
            provider.TryGet(key, out var value);
            return [$"{key} = {(value is null ? "<null>" : value.Replace("\n", "\\n", StringComparison.Ordinal))}"];
        }
        return children.SelectMany(child => Flatten(provider, $"{key}:{child}"));
    }
}
