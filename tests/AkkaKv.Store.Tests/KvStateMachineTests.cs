using System.Text;

namespace AkkaKv.Store.Tests;

/// <summary>
/// The shard state machine: write semantics and versions, conditions, exactly-once by idempotency key, scans,
/// deterministic snapshots. Method: apply commands at explicit log indexes and inspect state and results.
/// </summary>
public sealed class KvStateMachineTests
{
    private static byte[] Bytes(string text) => Encoding.UTF8.GetBytes(text);

    private static string Text(KvValue? value) => value is null ? "<absent>" : Encoding.UTF8.GetString(value.Value.Span);

    [Fact]
    public void Put_append_delete_and_versions_follow_the_log_index()
    {
        var kv = new KvStateMachine();
        Assert.Equal(new KvResult.Written(new LogIndex(1)), kv.Apply(new LogIndex(1), new KvPut("k", Bytes("a"), KvCondition.None)));
        Assert.Equal(new KvResult.Written(new LogIndex(2)), kv.Apply(new LogIndex(2), new KvAppend("k", Bytes("b"), KvCondition.None)));
        kv.Apply(new LogIndex(3), new KvAppend("fresh", Bytes("x"), KvCondition.None));
        Assert.Equal("ab", Text(kv.Get("k")));
        Assert.Equal(new LogIndex(2), kv.Get("k")!.Version);
        Assert.Equal("x", Text(kv.Get("fresh")));
        Assert.IsType<KvResult.Deleted>(kv.Apply(new LogIndex(4), new KvDelete("k", KvCondition.None)));
        Assert.IsType<KvResult.NotFound>(kv.Apply(new LogIndex(5), new KvDelete("k", KvCondition.None)));
        Assert.Null(kv.Get("k"));
        Assert.Equal(new LogIndex(5), kv.AppliedIndex);
    }

    [Fact]
    public void Conditions_are_checked_atomically_with_the_write()
    {
        var kv = new KvStateMachine();
        kv.Apply(new LogIndex(1), new KvPut("k", Bytes("v1"), KvCondition.MustNotExist));
        Assert.Equal(new KvResult.ConditionFailed(new LogIndex(1)), kv.Apply(new LogIndex(2), new KvPut("k", Bytes("v2"), KvCondition.MustNotExist)));
        Assert.Equal(new KvResult.ConditionFailed(new LogIndex(1)), kv.Apply(new LogIndex(3), new KvPut("k", Bytes("v2"), new KvCondition.VersionIs(new LogIndex(9)))));
        Assert.Equal(new KvResult.Written(new LogIndex(4)), kv.Apply(new LogIndex(4), new KvPut("k", Bytes("v2"), new KvCondition.VersionIs(new LogIndex(1)))));
        Assert.Equal(new KvResult.ConditionFailed(null), kv.Apply(new LogIndex(5), new KvDelete("absent", new KvCondition.VersionIs(new LogIndex(1)))));
        Assert.Equal("v2", Text(kv.Get("k")));
    }

    [Fact]
    public void A_retried_write_returns_its_first_outcome_and_applies_once()
    {
        var kv = new KvStateMachine();
        var first = kv.Apply(new LogIndex(1), new KvAppend("k", Bytes("x"), KvCondition.None, "client-1:7", 1_000));
        var retry = kv.Apply(new LogIndex(2), new KvAppend("k", Bytes("x"), KvCondition.None, "client-1:7", 1_500));
        Assert.Equal(first, retry);
        Assert.Equal("x", Text(kv.Get("k")));
        Assert.Equal(new LogIndex(2), kv.AppliedIndex);
    }

    [Fact]
    public void Idempotency_records_expire_by_command_time_and_are_bounded()
    {
        var kv = new KvStateMachine(idempotencyCapacity: 2, idempotencyRetentionMs: 1_000);
        kv.Apply(new LogIndex(1), new KvAppend("k", Bytes("a"), KvCondition.None, "r1", 0));
        kv.Apply(new LogIndex(2), new KvAppend("k", Bytes("b"), KvCondition.None, "r2", 10));
        kv.Apply(new LogIndex(3), new KvAppend("k", Bytes("c"), KvCondition.None, "r3", 20)); // evicts r1 (capacity)
        Assert.False(kv.Idempotency.TryGet("r1", out _));
        Assert.True(kv.Idempotency.TryGet("r2", out _));
        kv.Apply(new LogIndex(4), new KvPut("other", Bytes("z"), KvCondition.None, "r4", 5_000)); // expires r2, r3
        Assert.False(kv.Idempotency.TryGet("r2", out _));
        Assert.Equal(1, kv.Idempotency.Count);
    }

    [Fact]
    public void Scans_return_keys_with_the_prefix_in_order_up_to_the_limit()
    {
        var kv = new KvStateMachine();
        var index = 0UL;
        foreach (var key in new[] { "user/3", "user/1", "order/1", "user/2", "users", "v" })
        {
            kv.Apply(new LogIndex(++index), new KvPut(key, Bytes(key), KvCondition.None));
        }
        Assert.Equal(["user/1", "user/2", "user/3"], kv.Scan("user/", 10).Select(entry => entry.Key));
        Assert.Equal(["user/1", "user/2"], kv.Scan("user/", 2).Select(entry => entry.Key));
        Assert.Equal(6, kv.Scan("", 100).Count);
        Assert.Empty(kv.Scan("zzz", 10));
    }

    [Fact]
    public void Applying_out_of_order_is_an_invariant_violation()
    {
        var kv = new KvStateMachine();
        kv.Apply(new LogIndex(5), new KvPut("k", Bytes("v"), KvCondition.None));
        Assert.Throws<InvariantViolationException>(() => kv.Apply(new LogIndex(5), new KvPut("k", Bytes("v"), KvCondition.None)));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void The_same_log_gives_the_same_snapshot_bytes_and_a_restore_reproduces_the_state(int seed)
    {
        var commands = RandomCommands(new Random(seed), 2_000);
        var first = new KvStateMachine(idempotencyCapacity: 100);
        var second = new KvStateMachine(idempotencyCapacity: 100);
        var results = new List<KvResult>();
        for (var i = 0; i < commands.Count; i++)
        {
            results.Add(first.Apply(new LogIndex((ulong)i + 1), commands[i]));
            Assert.Equal(results[^1], second.Apply(new LogIndex((ulong)i + 1), KvCommandCodec.Decode(KvCommandCodec.Encode(commands[i]))));
        }
        var bytes = Snapshot(first);
        Assert.Equal(bytes, Snapshot(second));

        var restored = new KvStateMachine(idempotencyCapacity: 100);
        restored.RestoreSnapshot(new MemoryStream(bytes));
        Assert.Equal(bytes, Snapshot(restored));
        Assert.Equal(first.AppliedIndex, restored.AppliedIndex);
        // The idempotency table came along: a retry after the restore is still recognised.
        var retried = commands.Last(command => command.IdempotencyKey is not null);
        var next = restored.AppliedIndex.Next();
        Assert.Equal(first.Apply(next, retried), restored.Apply(next, retried));
    }

    [Fact]
    public void Malformed_snapshots_are_rejected_and_leave_the_state_alone()
    {
        var kv = new KvStateMachine();
        kv.Apply(new LogIndex(1), new KvPut("k", Bytes("v"), KvCondition.None));
        var bytes = Snapshot(kv);
        var target = new KvStateMachine();
        target.Apply(new LogIndex(1), new KvPut("mine", Bytes("keep"), KvCondition.None));
        for (var cut = 0; cut < bytes.Length; cut++)
        {
            Assert.Throws<InvalidDataException>(() => target.RestoreSnapshot(new MemoryStream(bytes[..cut])));
        }
        Assert.Equal("keep", Text(target.Get("mine")));
    }

    [Fact]
    public void A_snapshot_whose_keys_are_out_of_order_is_rejected()
    {
        var kv = new KvStateMachine();
        kv.Apply(new LogIndex(1), new KvPut("a", Bytes("1"), KvCondition.None));
        kv.Apply(new LogIndex(2), new KvPut("b", Bytes("2"), KvCondition.None));
        var bytes = Snapshot(kv);
        var first = Array.IndexOf(bytes, (byte)'a');
        var second = Array.IndexOf(bytes, (byte)'b');
        (bytes[first], bytes[second]) = (bytes[second], bytes[first]); // keys "b" then "a"
        var target = new KvStateMachine();
        Assert.Contains("out of order", Assert.Throws<InvalidDataException>(() => target.RestoreSnapshot(new MemoryStream(bytes))).Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(7)]
    [InlineData(8)]
    public void Reads_and_prefix_scans_match_a_sorted_reference_before_and_after_a_restore(int seed)
    {
        var random = new Random(seed);
        var kv = new KvStateMachine();
        var reference = new SortedDictionary<string, string>(StringComparer.Ordinal);
        string[] prefixes = ["", "a", "ab", "b", "b/", "zz", "a\uffff"];
        for (var i = 1; i <= 3_000; i++)
        {
            var key = $"{"ab"[random.Next(2)]}{(random.Next(3) == 0 ? "/" : "")}{random.Next(300)}";
            if (random.Next(4) == 0)
            {
                kv.Apply(new LogIndex((ulong)i), new KvDelete(key, KvCondition.None));
                reference.Remove(key);
            }
            else
            {
                kv.Apply(new LogIndex((ulong)i), new KvPut(key, Bytes($"v{i}"), KvCondition.None));
                reference[key] = $"v{i}";
            }
        }
        var restored = new KvStateMachine();
        restored.RestoreSnapshot(new MemoryStream(Snapshot(kv)));
        foreach (var machine in new[] { kv, restored })
        {
            Assert.Equal(reference.Count, machine.Count);
            foreach (var prefix in prefixes)
            {
                var expected = reference.Keys.Where(key => key.StartsWith(prefix, StringComparison.Ordinal)).Take(50).ToList();
                Assert.Equal(expected, machine.Scan(prefix, 50).Select(entry => entry.Key).ToList());
            }
            foreach (var (key, value) in reference)
            {
                Assert.Equal(value, Text(machine.Get(key)));
            }
            Assert.Null(machine.Get("absent"));
        }
    }

    private static byte[] Snapshot(KvStateMachine kv)
    {
        using var stream = new MemoryStream();
        kv.WriteSnapshot(stream);
        return stream.ToArray();
    }

    internal static List<KvCommand> RandomCommands(Random random, int count)
    {
        var commands = new List<KvCommand>(count);
        for (var i = 0; i < count; i++)
        {
            var key = $"k{random.Next(50)}";
            var idempotencyKey = random.Next(3) == 0 ? $"c{random.Next(5)}:{random.Next(400)}" : null;
            KvCondition condition = random.Next(6) switch
            {
                0 => KvCondition.MustNotExist,
                1 => new KvCondition.VersionIs(new LogIndex((ulong)random.Next(i + 1))),
                _ => KvCondition.None,
            };
            var value = Bytes($"v{i};");
            commands.Add(random.Next(3) switch
            {
                0 => new KvPut(key, value, condition, idempotencyKey, i * 10),
                1 => new KvAppend(key, value, condition, idempotencyKey, i * 10),
                _ => new KvDelete(key, condition, idempotencyKey, i * 10),
            });
        }
        return commands;
    }
}
