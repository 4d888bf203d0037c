using System.Buffers;
using System.Buffers.Binary;
using System.Collections.Immutable;

namespace AkkaKv.Sharding.Placement;

/// <summary>
/// The binary form of a <see cref="ShardMap"/> (what the coordinator's log and snapshots hold):
/// <c>version u8 | number i64 | count u32 | per shard: shard u32 | epoch i64 | leader u64 | replacing u64 |
/// voters u16 + u64 each | learners u16 + u64 each</c>, little-endian. Decoding refuses truncation, trailing bytes,
/// hostile counts (checked against the bytes left), shards out of order, a node listed twice, a shard without voters.
/// </summary>
public static class ShardMapCodec
{
    public const byte Version = 1;
    private const int MinimumShardBytes = 4 + 8 + 8 + 8 + 2 + 2;

    public static byte[] Encode(ShardMap map)
    {
        ArgumentNullException.ThrowIfNull(map);
        var output = new ArrayBufferWriter<byte>();
        Write(output, Version);
        WriteInt64(output, map.Number);
        WriteUInt32(output, (uint)map.Shards.Count);
        foreach (var shard in map.Shards.Values)
        {
            WriteUInt32(output, shard.Shard.Value);
            WriteInt64(output, shard.Epoch);
            WriteUInt64(output, shard.Leader.Value);
            WriteUInt64(output, shard.Replacing.Value);
            foreach (var nodes in new[] { shard.Voters, shard.Learners })
            {
                BinaryPrimitives.WriteUInt16LittleEndian(output.GetSpan(2), (ushort)nodes.Count);
                output.Advance(2);
                foreach (var node in nodes)
                {
                    WriteUInt64(output, node.Value);
                }
            }
        }
        return output.WrittenSpan.ToArray();
    }

    /// <exception cref="FormatException">The bytes are not a valid shard map.</exception>
    public static ShardMap Decode(ReadOnlySpan<byte> bytes)
    {
        var position = 0;
        ReadOnlySpan<byte> Take(int count, string what, ReadOnlySpan<byte> all)
        {
            if (count > all.Length - position)
            {
                throw new FormatException($"truncated {what}: {count} bytes needed, {all.Length - position} left");
            }
            var slice = all.Slice(position, count);
            position += count;
            return slice;
        }
        var version = Take(1, "version", bytes)[0];
        if (version != Version)
        {
            throw new FormatException($"unsupported shard map version {version}");
        }
        var number = BinaryPrimitives.ReadInt64LittleEndian(Take(8, "number", bytes));
        var count = BinaryPrimitives.ReadUInt32LittleEndian(Take(4, "shard count", bytes));
        if (count > (bytes.Length - position) / MinimumShardBytes)
        {
            throw new FormatException($"{count} shards is more than the bytes can hold");
        }
        var shards = ImmutableSortedDictionary.CreateBuilder<ShardId, ShardReplicas>();
        var previous = -1L;
        for (var i = 0; i < count; i++)
        {
            var shard = new ShardId(BinaryPrimitives.ReadUInt32LittleEndian(Take(4, "shard", bytes)));
            if (shard.Value <= previous)
            {
                throw new FormatException($"shard {shard} out of order");
            }
            previous = shard.Value;
            var epoch = BinaryPrimitives.ReadInt64LittleEndian(Take(8, "epoch", bytes));
            var leader = new NodeId(BinaryPrimitives.ReadUInt64LittleEndian(Take(8, "leader", bytes)));
            var replacing = new NodeId(BinaryPrimitives.ReadUInt64LittleEndian(Take(8, "replacing", bytes)));
            var sets = new ImmutableSortedSet<NodeId>[2];
            for (var set = 0; set < 2; set++)
            {
                var nodes = BinaryPrimitives.ReadUInt16LittleEndian(Take(2, "node count", bytes));
                var builder = ImmutableSortedSet.CreateBuilder<NodeId>();
                for (var n = 0; n < nodes; n++)
                {
                    var node = new NodeId(BinaryPrimitives.ReadUInt64LittleEndian(Take(8, "node", bytes)));
                    if (node.IsNone || !builder.Add(node))
                    {
                        throw new FormatException($"shard {shard}: node {node} invalid or listed twice");
                    }
                }
                sets[set] = builder.ToImmutable();
            }
            if (sets[0].Count == 0 || sets[0].Overlaps(sets[1]))
            {
                throw new FormatException($"shard {shard}: no voters, or a node both voter and learner");
            }
            shards[shard] = new ShardReplicas(shard, epoch, sets[0], sets[1], leader) { Replacing = replacing };
        }
        if (position != bytes.Length)
        {
            throw new FormatException($"{bytes.Length - position} unexpected bytes after the shard map");
        }
        return new ShardMap(number, shards.ToImmutable());
    }

    private static void Write(ArrayBufferWriter<byte> output, byte value)
    {
        output.GetSpan(1)[0] = value;
        output.Advance(1);
    }

    private static void WriteUInt32(ArrayBufferWriter<byte> output, uint value)
    {
        BinaryPrimitives.WriteUInt32LittleEndian(output.GetSpan(4), value);
        output.Advance(4);
    }

    private static void WriteInt64(ArrayBufferWriter<byte> output, long value)
    {
        BinaryPrimitives.WriteInt64LittleEndian(output.GetSpan(8), value);
        output.Advance(8);
    }

    private static void WriteUInt64(ArrayBufferWriter<byte> output, ulong value)
    {
        BinaryPrimitives.WriteUInt64LittleEndian(output.GetSpan(8), value);
        output.Advance(8);
    }
}
