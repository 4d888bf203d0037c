using System.Buffers.Binary;

namespace AkkaKv.Wire;

/// <summary>
/// Reads little-endian primitives from a frame, refusing to read past its end: every shortfall is a
/// <see cref="WireFormatException"/> naming what was being read, never an out-of-range access.
/// </summary>
public ref struct WireReader(ReadOnlySpan<byte> buffer)
{
    private readonly ReadOnlySpan<byte> _buffer = buffer;
    private int _position;

    public readonly int Remaining => _buffer.Length - _position;

    public byte ReadByte(string what) => Take(1, what)[0];

    public uint ReadUInt32(string what) => BinaryPrimitives.ReadUInt32LittleEndian(Take(4, what));

    public ulong ReadUInt64(string what) => BinaryPrimitives.ReadUInt64LittleEndian(Take(8, what));

    public long ReadInt64(string what) => BinaryPrimitives.ReadInt64LittleEndian(Take(8, what));

    /// <summary>A length-prefixed byte string of at most <paramref name="maxBytes"/>.</summary>
    public ReadOnlySpan<byte> ReadBytes(string what, int maxBytes)
    {
        var length = ReadUInt32(what + " length");
        if (length > maxBytes)
        {
            throw new WireFormatException($"{what} of {length} bytes exceeds the limit of {maxBytes}");
        }
        return Take((int)length, what);
    }

    public readonly void ExpectEnd(string what)
    {
        if (Remaining != 0)
        {
            throw new WireFormatException($"{Remaining} unexpected bytes after {what}");
        }
    }

    private ReadOnlySpan<byte> Take(int count, string what)
    {
        if (count > Remaining)
        {
            throw new WireFormatException($"truncated {what}: {count} bytes needed, {Remaining} left");
        }
        var span = _buffer.Slice(_position, count);
        _position += count;
        return span;
    }
}
