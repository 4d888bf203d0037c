using AkkaKv.Sharding.Placement;

namespace AkkaKv.Sharding.Tests;

/// <summary>
/// The coordinator's data: a shard map round-trips through its binary form (learners, leaders, replaced nodes and
/// epochs included), and every truncation, trailing byte, hostile count, duplicate or out-of-order entry is refused
/// with <see cref="FormatException"/>; the history applies a plan only to the configuration it was made on, as a
/// whole, keeps the newest configurations and answers for each by number.
/// </summary>
public sealed class ShardMapCodecAndHistoryTests
{
    private static NodeId N(int i) => new((ulong)i);

    private static ShardMap Sample()
    {
        var map = ShardMap.Bootstrap(8, N(1));
        map = map.Apply(new AddLearner(new ShardId(0), N(2), N(1)) { Reason = "test" });
        map = map.Apply(new PromoteLearner(new ShardId(0), N(2)) { Reason = "test" });
        map = map.Apply(new AddLearner(new ShardId(0), N(3)) { Reason = "test" });
        map = map.Apply(new TransferLeader(new ShardId(0), N(2)) { Reason = "test" });
        return map.Apply(new AddLearner(new ShardId(7), N(9), N(1)) { Reason = "test" });
    }

    [Fact]
    public void A_shard_map_round_trips()
    {
        var map = Sample();
        var decoded = ShardMapCodec.Decode(ShardMapCodec.Encode(map));
        Assert.Equal(map.Number, decoded.Number);
        Assert.Equal(map.Shards.Values, decoded.Shards.Values);
        Assert.Equal(N(1), decoded.Shards[new ShardId(7)].Replacing);
        Assert.Equal([N(3)], decoded.Shards[new ShardId(0)].Learners);
    }

    [Fact]
    public void Every_truncation_and_a_trailing_byte_are_refused()
    {
        var bytes = ShardMapCodec.Encode(Sample());
        for (var cut = 0; cut < bytes.Length; cut++)
        {
            Assert.Throws<FormatException>(() => ShardMapCodec.Decode(bytes.AsSpan(0, cut)));
        }
        Assert.Throws<FormatException>(() => ShardMapCodec.Decode([.. bytes, 0]));
    }

    [Fact]
    public void Hostile_counts_duplicates_disorder_and_voterless_shards_are_refused()
    {
        var bytes = ShardMapCodec.Encode(ShardMap.Bootstrap(2, N(1)));
        var hostile = bytes.ToArray();
        BitConverter.TryWriteBytes(hostile.AsSpan(1 + 8), 2_000_000_000u);
        Assert.Contains("more than the bytes can hold", Assert.Throws<FormatException>(() => ShardMapCodec.Decode(hostile)).Message, StringComparison.Ordinal);

        const int firstShard = 1 + 8 + 4;
        const int shardBytes = 4 + 8 + 8 + 8 + 2 + 8 + 2;
        var disordered = bytes.ToArray();
        BitConverter.TryWriteBytes(disordered.AsSpan(firstShard + shardBytes), 0u); // second shard id = first
        Assert.Contains("out of order", Assert.Throws<FormatException>(() => ShardMapCodec.Decode(disordered)).Message, StringComparison.Ordinal);

        var noVoters = ShardMapCodec.Encode(new ShardMap(1, ShardMap.Bootstrap(1, N(1)).Shards.SetItem(new ShardId(0), new ShardReplicas(new ShardId(0), 1, [], [], default))));
        Assert.Contains("no voters", Assert.Throws<FormatException>(() => ShardMapCodec.Decode(noVoters)).Message, StringComparison.Ordinal);

        var both = ShardMapCodec.Encode(new ShardMap(1, ShardMap.Bootstrap(1, N(1)).Shards.SetItem(new ShardId(0), new ShardReplicas(new ShardId(0), 1, [N(1)], [N(1)], N(1)))));
        Assert.Throws<FormatException>(() => ShardMapCodec.Decode(both));

        var version = bytes.ToArray();
        version[0] = 9;
        Assert.Throws<FormatException>(() => ShardMapCodec.Decode(version));
    }

    [Fact]
    public void The_history_applies_a_plan_only_to_the_configuration_it_was_made_on_and_as_a_whole()
    {
        var history = ShardMapHistory.Start(ShardMap.Bootstrap(4, N(1)), retain: 3);
        var shard = new ShardId(1);
        Assert.True(history.TryApply(1, [new AddLearner(shard, N(2)) { Reason = "a" }, new PromoteLearner(shard, N(2)) { Reason = "b" }], out var next, out _));
        Assert.Equal(3, next.Current.Number);
        Assert.False(next.TryApply(1, [new AddLearner(shard, N(3)) { Reason = "stale" }], out var unchanged, out var stale));
        Assert.Same(next, unchanged);
        Assert.Contains("the current one is 3", stale, StringComparison.Ordinal);
        Assert.False(next.TryApply(3, [new AddLearner(shard, N(3)) { Reason = "fits" }, new PromoteLearner(shard, N(4)) { Reason = "does not" }], out unchanged, out _));
        Assert.Same(next, unchanged);

        Assert.True(next.TryApply(3, [new AddLearner(shard, N(3)) { Reason = "c" }], out var last, out _));
        Assert.Equal(4, last.Current.Number);
        Assert.Null(last.Get(1)); // only the newest 3 are kept
        Assert.Equal(2, last.Get(2)!.Number);
        Assert.Null(last.Get(5));
        Assert.Contains(N(2), last.Get(3)!.Shards[shard].Voters);
    }
}
