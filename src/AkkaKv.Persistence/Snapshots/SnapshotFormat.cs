using System.Buffers.Binary;
using System.Globalization;

namespace AkkaKv.Persistence.Snapshots;

/// <summary>
/// The snapshot file: a 48-byte header (magic "AKKVSNP1", version u32, shard u32, index u64, term u64, reserved u64,
/// header crc u32 + pad), the content, then a 20-byte trailer (content length u64, content crc32c u32, magic
/// "AKKVEND1": a cut file cannot pass for a complete one).
/// Files are named <c>{index:D20}-{term:D20}.snap</c> in the shard's directory.
/// </summary>
internal static class SnapshotFormat
{
    public const int HeaderSize = 48;
    public const int TrailerSize = 20;
    public const uint Version = 1;
    public const string Extension = ".snap";
    public const string TemporaryExtension = ".tmp";
    public static ReadOnlySpan<byte> Magic => "AKKVSNP1"u8;
    public static ReadOnlySpan<byte> EndMagic => "AKKVEND1"u8;

    public static string FileName(SnapshotMetadata metadata) =>
        $"{metadata.Index.Value.ToString("D20", CultureInfo.InvariantCulture)}-{metadata.Term.Value.ToString("D20", CultureInfo.InvariantCulture)}{Extension}";

    public static string ShardDirectory(string root, ShardId shard) =>
        Path.Combine(root, "shard-" + shard.Value.ToString("D5", CultureInfo.InvariantCulture));

    public static bool TryParseFileName(ShardId shard, string name, out SnapshotMetadata metadata)
    {
        metadata = default;
        if (!name.EndsWith(Extension, StringComparison.Ordinal))
        {
            return false;
        }
        var parts = name[..^Extension.Length].Split('-');
        if (parts.Length != 2
            || !ulong.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var index)
            || !ulong.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var term))
        {
            return false;
        }
        metadata = new SnapshotMetadata(shard, new LogIndex(index), new Term(term));
        return true;
    }

    public static void WriteHeader(Span<byte> header, SnapshotMetadata metadata)
    {
        header.Clear();
        Magic.CopyTo(header);
        BinaryPrimitives.WriteUInt32LittleEndian(header[8..], Version);
        BinaryPrimitives.WriteUInt32LittleEndian(header[12..], metadata.Shard.Value);
        BinaryPrimitives.WriteUInt64LittleEndian(header[16..], metadata.Index.Value);
        BinaryPrimitives.WriteUInt64LittleEndian(header[24..], metadata.Term.Value);
        BinaryPrimitives.WriteUInt32LittleEndian(header[40..], Crc32C.Compute(header[..40]));
    }

    public static string? CheckHeader(ReadOnlySpan<byte> header, SnapshotMetadata expected)
    {
        if (!header[..8].SequenceEqual(Magic))
        {
            return "not a snapshot file (bad magic)";
        }
        if (BinaryPrimitives.ReadUInt32LittleEndian(header[40..]) != Crc32C.Compute(header[..40]))
        {
            return "header checksum mismatch";
        }
        var version = BinaryPrimitives.ReadUInt32LittleEndian(header[8..]);
        if (version != Version)
        {
            return $"snapshot format version {version} is not supported";
        }
        var actual = new SnapshotMetadata(
            new ShardId(BinaryPrimitives.ReadUInt32LittleEndian(header[12..])),
            new LogIndex(BinaryPrimitives.ReadUInt64LittleEndian(header[16..])),
            new Term(BinaryPrimitives.ReadUInt64LittleEndian(header[24..])));
        return actual == expected ? null : $"header says {actual} but the file name says {expected}";
    }
}
