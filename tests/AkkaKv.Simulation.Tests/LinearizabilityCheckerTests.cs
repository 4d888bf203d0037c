using AkkaKv.TestKit.Linearizability;

namespace AkkaKv.Simulation.Tests;

/// <summary>
/// The linearizability checker decides correctly: hand-made histories it must accept and reject (stale read, lost
/// write, duplicated append, unknown outcomes), and the shared test vectors with known verdicts.
/// </summary>
public sealed class LinearizabilityCheckerTests
{
    private static KvOperation Op(int client, KvOperationKind kind, string? value, double call, double ret,
        KvOperationStatus status = KvOperationStatus.Ok, string? expected = null, bool swapped = false) =>
        new(client, kind, "k", value, call, ret, status, expected, swapped);

    [Fact]
    public void A_sequential_history_that_follows_the_model_is_linearizable()
    {
        var history = new[]
        {
            Op(1, KvOperationKind.Get, null, 0, 1),
            Op(1, KvOperationKind.Put, "a", 2, 3),
            Op(1, KvOperationKind.Append, "b", 4, 5),
            Op(1, KvOperationKind.Get, "ab", 6, 7),
            Op(1, KvOperationKind.CompareAndSwap, "c", 8, 9, expected: "ab", swapped: true),
            Op(1, KvOperationKind.CompareAndSwap, "d", 10, 11, expected: "zz", swapped: false),
            Op(1, KvOperationKind.Delete, null, 12, 13),
            Op(1, KvOperationKind.Get, null, 14, 15),
        };
        Assert.True(LinearizabilityChecker.Check(history).IsLinearizable);
    }

    [Fact]
    public void A_stale_read_after_a_completed_write_is_rejected()
    {
        var history = new[]
        {
            Op(1, KvOperationKind.Put, "new", 0, 1),
            Op(2, KvOperationKind.Get, null, 2, 3),
        };
        var result = LinearizabilityChecker.Check(history);
        Assert.False(result.IsLinearizable);
        Assert.Equal("k", result.Key);
    }

    [Fact]
    public void A_read_concurrent_with_a_write_may_see_either_value()
    {
        var sawOld = new[] { Op(1, KvOperationKind.Put, "new", 0, 10), Op(2, KvOperationKind.Get, null, 1, 2) };
        var sawNew = new[] { Op(1, KvOperationKind.Put, "new", 0, 10), Op(2, KvOperationKind.Get, "new", 1, 2) };
        Assert.True(LinearizabilityChecker.Check(sawOld).IsLinearizable);
        Assert.True(LinearizabilityChecker.Check(sawNew).IsLinearizable);
    }

    [Fact]
    public void Reads_may_not_go_back_in_time()
    {
        var history = new[]
        {
            Op(1, KvOperationKind.Put, "new", 0, 10),
            Op(2, KvOperationKind.Get, "new", 1, 2),
            Op(3, KvOperationKind.Get, null, 3, 4), // after a read that saw "new"
        };
        Assert.False(LinearizabilityChecker.Check(history).IsLinearizable);
    }

    [Fact]
    public void A_lost_acknowledged_append_is_rejected()
    {
        var history = new[]
        {
            Op(1, KvOperationKind.Append, "a;", 0, 1),
            Op(2, KvOperationKind.Append, "b;", 2, 3),
            Op(3, KvOperationKind.Get, "a;", 4, 5),
        };
        Assert.False(LinearizabilityChecker.Check(history).IsLinearizable);
    }

    [Fact]
    public void A_duplicated_append_is_rejected()
    {
        var history = new[]
        {
            Op(1, KvOperationKind.Append, "a;", 0, 1),
            Op(3, KvOperationKind.Get, "a;a;", 2, 3),
        };
        Assert.False(LinearizabilityChecker.Check(history).IsLinearizable);
    }

    [Fact]
    public void An_operation_with_unknown_outcome_may_take_effect_late_or_never()
    {
        var tookEffectLate = new[]
        {
            Op(1, KvOperationKind.Append, "x;", 0, 1, KvOperationStatus.Info),
            Op(2, KvOperationKind.Get, null, 2, 3),
            Op(2, KvOperationKind.Get, "x;", 4, 5),
        };
        var neverTookEffect = new[]
        {
            Op(1, KvOperationKind.Append, "x;", 0, 1, KvOperationStatus.Info),
            Op(2, KvOperationKind.Get, null, 2, 3),
        };
        var tookEffectTwice = new[]
        {
            Op(1, KvOperationKind.Append, "x;", 0, 1, KvOperationStatus.Info),
            Op(2, KvOperationKind.Get, "x;x;", 2, 3),
        };
        Assert.True(LinearizabilityChecker.Check(tookEffectLate).IsLinearizable);
        Assert.True(LinearizabilityChecker.Check(neverTookEffect).IsLinearizable);
        Assert.False(LinearizabilityChecker.Check(tookEffectTwice).IsLinearizable);
    }

    [Fact]
    public void An_unseen_write_with_unknown_outcome_still_counts_when_a_failed_compare_and_swap_needs_it()
    {
        var history = new[]
        {
            Op(1, KvOperationKind.Put, "a", 0, 1),
            Op(2, KvOperationKind.Append, "x", 2, 3, KvOperationStatus.Info),
            Op(3, KvOperationKind.CompareAndSwap, "c", 4, 5, expected: "a", swapped: false), // only if "x" landed
        };
        Assert.True(LinearizabilityChecker.Check(history).IsLinearizable);
    }

    [Fact]
    public void A_failed_operation_is_ignored_and_a_wrong_compare_and_swap_outcome_is_rejected()
    {
        var failed = new[] { Op(1, KvOperationKind.Put, "x", 0, 1, KvOperationStatus.Fail), Op(2, KvOperationKind.Get, null, 2, 3) };
        Assert.True(LinearizabilityChecker.Check(failed).IsLinearizable);
        var wrongCas = new[] { Op(1, KvOperationKind.Put, "a", 0, 1), Op(2, KvOperationKind.CompareAndSwap, "b", 2, 3, expected: "a", swapped: false) };
        Assert.False(LinearizabilityChecker.Check(wrongCas).IsLinearizable);
    }

    [Fact]
    public void Keys_are_checked_independently()
    {
        var history = new[]
        {
            new KvOperation(1, KvOperationKind.Put, "a", "1", 0, 1, KvOperationStatus.Ok),
            new KvOperation(2, KvOperationKind.Get, "b", null, 2, 3, KvOperationStatus.Ok),
            new KvOperation(2, KvOperationKind.Get, "a", "1", 2, 3, KvOperationStatus.Ok),
        };
        Assert.True(LinearizabilityChecker.Check(history).IsLinearizable);
    }

    public static TheoryData<string, bool> SharedVectors()
    {
        var data = new TheoryData<string, bool>();
        var manifest = System.Text.Json.JsonDocument.Parse(File.ReadAllText(Path.Combine(TestData.HistoriesDirectory, "manifest.json")));
        foreach (var entry in manifest.RootElement.EnumerateArray())
        {
            data.Add(entry.GetProperty("file").GetString()!, entry.GetProperty("expected").GetString() == "linearizable");
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(SharedVectors))]
    public void Shared_test_vectors_get_their_known_verdict(string file, bool linearizable)
    {
        var history = KvHistoryFile.Read(Path.Combine(TestData.HistoriesDirectory, file));
        var result = LinearizabilityChecker.Check(history);
        Assert.True(linearizable == result.IsLinearizable, $"{file}: expected {(linearizable ? "linearizable" : "not linearizable")}, got {result}");
    }

    [Fact]
    public void A_malformed_history_line_is_reported_with_its_line_number()
    {
        var path = Path.GetTempFileName();
        try
        {
            File.WriteAllLines(path, ["{\"client\":1,\"op\":\"get\",\"key\":\"k\",\"call_time\":0,\"return_time\":1,\"status\":\"ok\",\"output\":null}", "{not json"]);
            var error = Assert.Throws<FormatException>(() => KvHistoryFile.Read(path));
            Assert.Contains(":2:", error.Message, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(path);
        }
    }
}
