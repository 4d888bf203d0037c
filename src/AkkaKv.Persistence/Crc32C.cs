using System.Buffers.Binary;
using System.Numerics;

namespace AkkaKv.Persistence;

/// <summary>CRC-32C (Castagnoli) over byte spans, using the processor's CRC instructions via <see cref="BitOperations"/>.</summary>
public static class Crc32C
{
    /// <summary>The CRC of <paramref name="data"/>, continuing from <paramref name="crc"/> (start with 0).</summary>
    public static uint Append(uint crc, ReadOnlySpan<byte> data)
    {
        var state = ~crc;
        while (data.Length >= 8)
        {
            state = BitOperations.Crc32C(state, BinaryPrimitives.ReadUInt64LittleEndian(data));
            data = data[8..];
        }
        foreach (var value in data)
        {
            state = BitOperations.Crc32C(state, value);
        }
        return ~state;
    }

    /// <summary>The CRC of <paramref name="data"/>.</summary>
    public static uint Compute(ReadOnlySpan<byte> data) => Append(0, data);
}
