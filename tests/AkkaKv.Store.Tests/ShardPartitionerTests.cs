namespace AkkaKv.Store.Tests;

/// <summary>Key placement must never change between processes or versions, and should spread keys evenly.</summary>
public sealed class ShardPartitionerTests
{
    [Theory]
    [InlineData("", 0u)]
    [InlineData("a", 0xC1D04330u)]
    [InlineData("123456789", 0xE3069283u)] // the CRC-32C check value
    public void The_hash_is_crc32c_of_the_utf8_key(string key, uint expected) =>
        Assert.Equal(expected, ShardPartitioner.Hash(key));

    [Fact]
    public void Shards_are_contiguous_hash_ranges_and_keys_spread_evenly()
    {
        var partitioner = new ShardPartitioner(64);
        var counts = new int[64];
        for (var i = 0; i < 64_000; i++)
        {
            counts[partitioner.ShardOf($"key-{i}").Value]++;
        }
        Assert.All(counts, count => Assert.InRange(count, 800, 1_200));
        Assert.Equal(new ShardId(0), new ShardPartitioner(1).ShardOf("anything"));
        Assert.Throws<ArgumentOutOfRangeException>(() => new ShardPartitioner(0));
    }
}
