using System.Buffers.Binary;

namespace AkkaKv.Persistence.Wal;

/// <summary>
/// The fixed 40-byte record header, little-endian:
/// <c>length u32 | crc32c u32 | type u8 | flags u8 | pad u8[2] | shard u32 | sequence u64 | term u64 | index u64</c>, then the
/// payload. <c>length</c> counts everything after the crc (header rest + payload); the crc covers the same bytes.
/// The sequence number orders records across segments (copies keep their original's). Flag bit 0 marks the last
/// record of a group commit: everything up to it was fsynced before anything after it was written.
/// </summary>
internal readonly record struct WalRecordHeader(WalRecordType Type, ShardId Shard, ulong Sequence, Term Term, LogIndex Index, int PayloadLength, bool EndsBatch = false)
{
    private const byte EndsBatchFlag = 1;

    public const int Size = 40;
    public const int PrefixSize = 8;

    /// <summary>Bytes of the whole record.</summary>
    public int RecordLength => Size + PayloadLength;

    /// <summary>Writes the header and <paramref name="payload"/> into <paramref name="destination"/>, then the crc.</summary>
    public void Encode(Span<byte> destination, ReadOnlySpan<byte> payload)
    {
        BinaryPrimitives.WriteUInt32LittleEndian(destination, (uint)(Size - PrefixSize + PayloadLength));
        destination[8] = (byte)Type;
        destination[9] = EndsBatch ? EndsBatchFlag : (byte)0;
        destination[10] = 0;
        destination[11] = 0;
        BinaryPrimitives.WriteUInt32LittleEndian(destination[12..], Shard.Value);
        BinaryPrimitives.WriteUInt64LittleEndian(destination[16..], Sequence);
        BinaryPrimitives.WriteUInt64LittleEndian(destination[24..], Term.Value);
        BinaryPrimitives.WriteUInt64LittleEndian(destination[32..], Index.Value);
        payload.CopyTo(destination[Size..]);
        var crc = Crc32C.Compute(destination[PrefixSize..RecordLength]);
        BinaryPrimitives.WriteUInt32LittleEndian(destination[4..], crc);
    }

    /// <summary>Sets the ends-batch flag of the encoded record in <paramref name="record"/> and refreshes its crc.</summary>
    public static void MarkEndsBatch(Span<byte> record)
    {
        record[9] |= EndsBatchFlag;
        BinaryPrimitives.WriteUInt32LittleEndian(record[4..], Crc32C.Compute(record[PrefixSize..]));
    }

    /// <summary>Reads a header from <paramref name="source"/> (at least <see cref="Size"/> bytes); false with a reason when malformed.</summary>
    public static bool TryDecode(ReadOnlySpan<byte> source, int maxRecordBytes, out WalRecordHeader header, out uint crc, out string? problem)
    {
        header = default;
        crc = BinaryPrimitives.ReadUInt32LittleEndian(source[4..]);
        var length = BinaryPrimitives.ReadUInt32LittleEndian(source);
        if (length < Size - PrefixSize || length > (uint)maxRecordBytes)
        {
            problem = $"record length {length} is outside {Size - PrefixSize}..{maxRecordBytes}";
            return false;
        }
        var type = (WalRecordType)source[8];
        if (!Enum.IsDefined(type))
        {
            problem = $"unknown record type {source[8]}";
            return false;
        }
        header = new WalRecordHeader(
            type,
            new ShardId(BinaryPrimitives.ReadUInt32LittleEndian(source[12..])),
            BinaryPrimitives.ReadUInt64LittleEndian(source[16..]),
            new Term(BinaryPrimitives.ReadUInt64LittleEndian(source[24..])),
            new LogIndex(BinaryPrimitives.ReadUInt64LittleEndian(source[32..])),
            (int)length - (Size - PrefixSize),
            (source[9] & EndsBatchFlag) != 0);
        problem = null;
        return true;
    }
}
