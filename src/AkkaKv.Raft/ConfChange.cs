using System.Buffers.Binary;

namespace AkkaKv.Raft;

/// <summary>A membership change proposed through the log: <c>marker u8 | kind u8 | node u64</c>.</summary>
public sealed record ConfChange(ConfChangeKind Kind, NodeId Node)
{
    /// <summary>
    /// The first byte of an encoded change. State-machine payloads never start with it, so a journal can tell
    /// the two kinds of entry apart from the payload alone.
    /// </summary>
    public const byte Marker = 0xCC;

    private const int EncodedBytes = 10;

    /// <summary>The change as log entry data.</summary>
    public byte[] Encode()
    {
        var bytes = new byte[EncodedBytes];
        bytes[0] = Marker;
        bytes[1] = (byte)Kind;
        BinaryPrimitives.WriteUInt64LittleEndian(bytes.AsSpan(2), Node.Value);
        return bytes;
    }

    /// <summary>True when <paramref name="data"/> is an encoded change.</summary>
    public static bool IsEncoded(ReadOnlySpan<byte> data) => data.Length == EncodedBytes && data[0] == Marker;

    /// <summary>Decodes data written by <see cref="Encode"/>.</summary>
    /// <exception cref="FormatException">The data is not an encoded change.</exception>
    public static ConfChange Decode(ReadOnlySpan<byte> data)
    {
        if (!IsEncoded(data) || data[1] is < (byte)ConfChangeKind.AddVoter or > (byte)ConfChangeKind.RemoveNode)
        {
            throw new FormatException("Not a membership change entry.");
        }
        return new ConfChange((ConfChangeKind)data[1], new NodeId(BinaryPrimitives.ReadUInt64LittleEndian(data[2..])));
    }

    public override string ToString() => $"{Kind} {Node}";
}
