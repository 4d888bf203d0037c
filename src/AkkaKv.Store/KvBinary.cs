using System.Buffers.Binary;
using System.Text;

namespace AkkaKv.Store;

/// <summary>Little-endian primitives shared by the command and snapshot codecs, with bounds-checked reads.</summary>
internal static class KvBinary
{
    private const int ChunkBytes = 1024 * 1024;

    public static void WriteBytes(Stream stream, ReadOnlySpan<byte> bytes)
    {
        WriteUInt32(stream, (uint)bytes.Length);
        stream.Write(bytes);
    }

    public static void WriteString(Stream stream, string text) => WriteBytes(stream, Encoding.UTF8.GetBytes(text));

    public static void WriteUInt32(Stream stream, uint value)
    {
        Span<byte> buffer = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32LittleEndian(buffer, value);
        stream.Write(buffer);
    }

    public static void WriteUInt64(Stream stream, ulong value)
    {
        Span<byte> buffer = stackalloc byte[8];
        BinaryPrimitives.WriteUInt64LittleEndian(buffer, value);
        stream.Write(buffer);
    }

    public static uint ReadUInt32(Stream stream)
    {
        Span<byte> buffer = stackalloc byte[4];
        stream.ReadExactly(buffer);
        return BinaryPrimitives.ReadUInt32LittleEndian(buffer);
    }

    public static ulong ReadUInt64(Stream stream)
    {
        Span<byte> buffer = stackalloc byte[8];
        stream.ReadExactly(buffer);
        return BinaryPrimitives.ReadUInt64LittleEndian(buffer);
    }

    public static byte[] ReadBytes(Stream stream, int maxLength)
    {
        var length = ReadUInt32(stream);
        if (length > maxLength)
        {
            throw new InvalidDataException($"field of {length} bytes exceeds the limit of {maxLength}");
        }
        if (stream.CanSeek && length > stream.Length - stream.Position)
        {
            throw new InvalidDataException($"field of {length} bytes runs past the end of the data");
        }
        if (stream.CanSeek || length <= ChunkBytes)
        {
            var bytes = new byte[length];
            stream.ReadExactly(bytes);
            return bytes;
        }
        // A length read from an unseekable stream is not trusted with one big allocation: grow as data arrives.
        using var collected = new MemoryStream();
        var chunk = new byte[ChunkBytes];
        var left = (long)length;
        while (left > 0)
        {
            var wanted = (int)Math.Min(chunk.Length, left);
            stream.ReadExactly(chunk, 0, wanted);
            collected.Write(chunk, 0, wanted);
            left -= wanted;
        }
        return collected.ToArray();
    }

    public static string ReadString(Stream stream, int maxLength) => Encoding.UTF8.GetString(ReadBytes(stream, maxLength));

    /// <summary>Reads a string of at most <paramref name="buffer"/>'s length, decoding it from <paramref name="buffer"/> (no array per string).</summary>
    public static string ReadString(Stream stream, byte[] buffer)
    {
        var length = ReadUInt32(stream);
        if (length > buffer.Length)
        {
            throw new InvalidDataException($"field of {length} bytes exceeds the limit of {buffer.Length}");
        }
        stream.ReadExactly(buffer, 0, (int)length);
        return Encoding.UTF8.GetString(buffer, 0, (int)length);
    }
}
