using System.Buffers;
using System.Buffers.Binary;

namespace AkkaKv.Remote;

/// <summary>
/// Frames on a node-to-node connection: <c>length u32 | kind u8 | payload</c>, where length counts kind and payload.
/// A frame longer than the configured maximum, empty, or of an unknown kind is a protocol violation — detected from
/// the 5-byte prefix, before anything is buffered or allocated for it.
/// </summary>
public static class FrameCodec
{
    /// <summary>Bytes of the length and kind prefix.</summary>
    public const int PrefixBytes = 5;

    /// <summary>Writes one frame.</summary>
    public static void Write(IBufferWriter<byte> output, FrameKind kind, ReadOnlySpan<byte> payload)
    {
        ArgumentNullException.ThrowIfNull(output);
        var prefix = output.GetSpan(PrefixBytes);
        BinaryPrimitives.WriteUInt32LittleEndian(prefix, (uint)(payload.Length + 1));
        prefix[4] = (byte)kind;
        output.Advance(PrefixBytes);
        output.Write(payload);
    }

    /// <summary>
    /// Takes the first complete frame off <paramref name="buffer"/>. False when more bytes are needed (nothing is
    /// consumed); the payload slices <paramref name="buffer"/>'s memory, valid until the reader advances past it.
    /// </summary>
    /// <exception cref="RemoteProtocolException">The prefix announces an empty, oversized or unknown frame.</exception>
    public static bool TryRead(ref ReadOnlySequence<byte> buffer, int maxFrameBytes, out FrameKind kind, out ReadOnlySequence<byte> payload)
    {
        kind = default;
        payload = default;
        if (buffer.Length < PrefixBytes)
        {
            return false;
        }
        Span<byte> prefix = stackalloc byte[PrefixBytes];
        buffer.Slice(0, PrefixBytes).CopyTo(prefix);
        var length = BinaryPrimitives.ReadUInt32LittleEndian(prefix);
        if (length == 0)
        {
            throw new RemoteProtocolException("empty frame");
        }
        if (length > (uint)maxFrameBytes)
        {
            throw new RemoteProtocolException($"frame of {length} bytes exceeds the limit of {maxFrameBytes}");
        }
        kind = (FrameKind)prefix[4];
        if (kind is < FrameKind.Handshake or > FrameKind.ActorMessage)
        {
            throw new RemoteProtocolException($"unknown frame kind {prefix[4]}");
        }
        if (buffer.Length < 4 + length)
        {
            return false;
        }
        payload = buffer.Slice(PrefixBytes, length - 1);
        buffer = buffer.Slice(4 + length);
        return true;
    }
}
