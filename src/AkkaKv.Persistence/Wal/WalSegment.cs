using System.Globalization;
using AkkaKv.Persistence.Storage;

namespace AkkaKv.Persistence.Wal;

/// <summary>One segment file of the log and how much of it is still live.</summary>
internal sealed class WalSegment(long id, IWalFile file)
{
    /// <summary>Every segment starts with these 16 bytes: magic "AKKVWAL1", format version, reserved.</summary>
    public static ReadOnlySpan<byte> Magic => "AKKVWAL1"u8;
    public const int HeaderSize = 16;
    public const uint FormatVersion = 1;
    public const string Extension = ".wal";

    public long Id { get; } = id;
    public IWalFile File { get; } = file;

    /// <summary>Bytes written (the next record goes here).</summary>
    public long Length { get; set; }

    /// <summary>Records still referenced by the index (entries, the latest hard state and compaction mark of a shard).</summary>
    public int LiveRecords { get; set; }

    /// <summary>Bytes of the live records.</summary>
    public long LiveBytes { get; set; }

    public static string NameOf(long id) => id.ToString("D20", CultureInfo.InvariantCulture) + Extension;

    public static bool TryParseName(string name, out long id)
    {
        id = 0;
        return name.EndsWith(Extension, StringComparison.Ordinal)
            && long.TryParse(name.AsSpan(0, name.Length - Extension.Length), NumberStyles.None, CultureInfo.InvariantCulture, out id);
    }

    /// <summary>Makes <paramref name="file"/> an empty segment: cut to nothing, header written, fsynced.</summary>
    public static void Initialize(IWalFile file)
    {
        Span<byte> header = stackalloc byte[HeaderSize];
        Magic.CopyTo(header);
        System.Buffers.Binary.BinaryPrimitives.WriteUInt32LittleEndian(header[8..], FormatVersion);
        System.Buffers.Binary.BinaryPrimitives.WriteUInt32LittleEndian(header[12..], 0);
        file.Truncate(0);
        file.Write(0, header);
        file.Flush();
    }

    public void AddLive(int recordLength)
    {
        LiveRecords++;
        LiveBytes += recordLength;
    }

    public void RemoveLive(int recordLength)
    {
        LiveRecords--;
        LiveBytes -= recordLength;
        Invariant.Check(LiveRecords >= 0 && LiveBytes >= 0);
    }
}
