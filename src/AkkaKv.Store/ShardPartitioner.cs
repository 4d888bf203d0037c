using System.Buffers;
using System.Numerics;
using System.Text;

namespace AkkaKv.Store;

/// <summary>
/// Maps keys to shards with a stable hash (never <c>string.GetHashCode</c>, which differs per process): the
/// 32-bit CRC-32C of the key's UTF-8 bytes, split into <see cref="ShardCount"/> equal ranges, so each shard owns
/// one contiguous hash range and a range can later be split in two.
/// </summary>
public sealed class ShardPartitioner
{
    /// <summary>A partitioner over <paramref name="shardCount"/> shards.</summary>
    public ShardPartitioner(int shardCount)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(shardCount, 1);
        ShardCount = shardCount;
    }

    /// <summary>Number of shards (<c>akkakv.sharding.shard-count</c>).</summary>
    public int ShardCount { get; }

    /// <summary>The shard that owns <paramref name="key"/>.</summary>
    public ShardId ShardOf(string key)
    {
        ArgumentNullException.ThrowIfNull(key);
        var hash = Hash(key);
        return new ShardId((uint)(((ulong)hash * (ulong)ShardCount) >> 32));
    }

    /// <summary>The stable 32-bit hash of <paramref name="key"/>.</summary>
    public static uint Hash(string key)
    {
        ArgumentNullException.ThrowIfNull(key);
        var length = Encoding.UTF8.GetByteCount(key);
        var rented = ArrayPool<byte>.Shared.Rent(length);
        try
        {
            var bytes = rented.AsSpan(0, Encoding.UTF8.GetBytes(key, rented));
            var crc = uint.MaxValue;
            foreach (var value in bytes)
            {
                crc = BitOperations.Crc32C(crc, value);
            }
            return ~crc;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(rented);
        }
    }
}
