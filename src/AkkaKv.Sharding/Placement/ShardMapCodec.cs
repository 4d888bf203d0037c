using System.Buffers;
using System.Collections.Immutable;
using AkkaKv.Wire;

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
        var writer = new WireWriter(output);
        writer.WriteByte(Version);
        writer.WriteInt64(map.Number);
        writer.WriteUInt32((uint)map.Shards.Count);
        foreach (var shard in map.Shards.Values)
        {
            writer.WriteUInt32(shard.Shard.Value);
            writer.WriteInt64(shard.Epoch);
            writer.WriteUInt64(shard.Leader.Value);
            writer.WriteUInt64(shard.Replacing.Value);
            foreach (var nodes in new[] { shard.Voters, shard.Learners })
            {
                writer.WriteByte((byte)(nodes.Count & 0xFF));
                writer.WriteByte((byte)(nodes.Count >> 8));
                foreach (var node in nodes)
                {
                    writer.WriteUInt64(node.Value);
                }
            }
        }
        return output.WrittenSpan.ToArray();
    }

    /// <exception cref="FormatException">The bytes are not a valid shard map.</exception>
    public static ShardMap Decode(ReadOnlySpan<byte> bytes)
    {
        try
        {
            return Read(new WireReader(bytes));
        }
        catch (WireFormatException error)
        {
            throw new FormatException(error.Message, error);
        }
    }

    private static ShardMap Read(WireReader reader)
    {
        var version = reader.ReadByte("version");
        if (version != Version)
        {
            throw new FormatException($"unsupported shard map version {version}");
        }
        var number = reader.ReadInt64("number");
        var count = reader.ReadUInt32("shard count");
        if (count > reader.Remaining / MinimumShardBytes)
        {
            throw new FormatException($"{count} shards is more than the bytes can hold");
        }
        var shards = ImmutableSortedDictionary.CreateBuilder<ShardId, ShardReplicas>();
        var previous = -1L;
        for (var i = 0; i < count; i++)
        {
            var shard = new ShardId(reader.ReadUInt32("shard"));
            if (shard.Value <= previous)
            {
                throw new FormatException($"shard {shard} out of order");
            }
            previous = shard.Value;
            var epoch = reader.ReadInt64("epoch");
            var leader = new NodeId(reader.ReadUInt64("leader"));
            var replacing = new NodeId(reader.ReadUInt64("replacing"));
            var sets = new ImmutableSortedSet<NodeId>[2];
            for (var set = 0; set < 2; set++)
            {
                var nodes = reader.ReadByte("node count") | (reader.ReadByte("node count") << 8);
                var builder = ImmutableSortedSet.CreateBuilder<NodeId>();
                for (var n = 0; n < nodes; n++)
                {
                    var node = new NodeId(reader.ReadUInt64("node"));
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
        reader.ExpectEnd("the shard map");
        return new ShardMap(number, shards.ToImmutable());
    }
}
