using System.Buffers.Binary;
using AkkaKv.Raft;

namespace AkkaKv.Sharding;

/// <summary>
/// The membership written ahead of the state machine in a shard snapshot:
/// <c>magic u32 | version u8 | voters u32 + u64… | learners u32 + u64… | epoch u64</c> (version 2; version 1 has no
/// epoch, read as 0). Snapshots written before replication have no header; they belong to a single-replica shard.
/// </summary>
internal static class ShardSnapshotHeader
{
    private const uint Magic = 0x534B_5241; // "ARKS" little-endian
    private const byte Version = 2;
    private const byte VersionWithoutEpoch = 1;
    private const int MaxMembers = 1_000;

    public static void Write(Stream stream, ConfState conf)
    {
        var size = 4 + 1 + 4 + (8 * conf.Voters.Count) + 4 + (8 * conf.Learners.Count) + 8;
        var buffer = new byte[size];
        var span = buffer.AsSpan();
        BinaryPrimitives.WriteUInt32LittleEndian(span, Magic);
        span[4] = Version;
        var offset = 5;
        foreach (var set in new[] { conf.Voters, conf.Learners })
        {
            BinaryPrimitives.WriteUInt32LittleEndian(span[offset..], (uint)set.Count);
            offset += 4;
            foreach (var node in set)
            {
                BinaryPrimitives.WriteUInt64LittleEndian(span[offset..], node.Value);
                offset += 8;
            }
        }
        BinaryPrimitives.WriteUInt64LittleEndian(span[offset..], conf.Index.Value);
        stream.Write(buffer);
    }

    /// <summary>Reads the header; null when the stream does not start with one (a legacy snapshot, nothing consumed beyond 4 bytes).</summary>
    /// <exception cref="InvalidDataException">The header is damaged.</exception>
    public static ConfState? TryRead(Stream stream)
    {
        Span<byte> word = stackalloc byte[8];
        if (!TryFill(stream, word[..4]) || BinaryPrimitives.ReadUInt32LittleEndian(word) != Magic)
        {
            return null;
        }
        if (!TryFill(stream, word[..1]) || word[0] is not (Version or VersionWithoutEpoch))
        {
            throw new InvalidDataException($"unknown shard snapshot header version {word[0]}");
        }
        var version = word[0];
        var sets = new List<NodeId>[2];
        for (var s = 0; s < 2; s++)
        {
            if (!TryFill(stream, word[..4]))
            {
                throw new InvalidDataException("shard snapshot header is truncated");
            }
            var count = BinaryPrimitives.ReadUInt32LittleEndian(word);
            if (count > MaxMembers)
            {
                throw new InvalidDataException($"shard snapshot header lists {count} members (limit {MaxMembers})");
            }
            sets[s] = [];
            for (var i = 0; i < count; i++)
            {
                if (!TryFill(stream, word))
                {
                    throw new InvalidDataException("shard snapshot header is truncated");
                }
                sets[s].Add(new NodeId(BinaryPrimitives.ReadUInt64LittleEndian(word)));
            }
        }
        var epoch = 0UL;
        if (version == Version)
        {
            if (!TryFill(stream, word))
            {
                throw new InvalidDataException("shard snapshot header is truncated");
            }
            epoch = BinaryPrimitives.ReadUInt64LittleEndian(word);
        }
        return new ConfState(sets[0], sets[1]) { Index = new LogIndex(epoch) };
    }

    private static bool TryFill(Stream stream, Span<byte> buffer)
    {
        var total = 0;
        while (total < buffer.Length)
        {
            var read = stream.Read(buffer[total..]);
            if (read == 0)
            {
                return false;
            }
            total += read;
        }
        return true;
    }
}
