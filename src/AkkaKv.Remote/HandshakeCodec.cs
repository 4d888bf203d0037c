using System.Buffers;
using System.Text;

namespace AkkaKv.Remote;

/// <summary>
/// <c>magic "AKKV" | protocol u16 | cluster (u32 length + UTF-8, ≤ 255 bytes) | node u64 | incarnation u64 |
/// address (u32 length + UTF-8, ≤ 255 bytes)</c>.
/// </summary>
public static class HandshakeCodec
{
    /// <summary>
    /// The wire protocol this build speaks; peers of another version are refused at the handshake. 2: configuration
    /// epochs (snapshot metadata, reads, shard status) and quiescing heartbeats.
    /// </summary>
    public const ushort ProtocolVersion = 2;

    private const int MaxTextBytes = 255;
    private static readonly byte[] Magic = "AKKV"u8.ToArray();

    public static void Encode(Handshake handshake, IBufferWriter<byte> output)
    {
        ArgumentNullException.ThrowIfNull(handshake);
        ArgumentNullException.ThrowIfNull(output);
        output.Write(Magic);
        var writer = new WireWriter(output);
        writer.WriteByte((byte)(handshake.ProtocolVersion & 0xFF));
        writer.WriteByte((byte)(handshake.ProtocolVersion >> 8));
        writer.WriteBytes(Text(handshake.Cluster, "cluster"));
        writer.WriteUInt64(handshake.Node.Value);
        writer.WriteUInt64(handshake.Incarnation);
        writer.WriteBytes(Text(handshake.Address, "address"));
    }

    /// <exception cref="RemoteProtocolException">Not a handshake (wrong magic, truncated, oversized or invalid text).</exception>
    public static Handshake Decode(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length < Magic.Length || !bytes[..Magic.Length].SequenceEqual(Magic))
        {
            throw new RemoteProtocolException("not an AkkaKv handshake (bad magic): is another program talking to this port?");
        }
        var reader = new WireReader(bytes[Magic.Length..]);
        var protocol = (ushort)(reader.ReadByte("protocol") | (reader.ReadByte("protocol") << 8));
        var cluster = Utf8(reader.ReadBytes("cluster", MaxTextBytes), "cluster");
        var node = new NodeId(reader.ReadUInt64("node"));
        var incarnation = reader.ReadUInt64("incarnation");
        var address = Utf8(reader.ReadBytes("address", MaxTextBytes), "address");
        reader.ExpectEnd("the handshake");
        if (node.IsNone)
        {
            throw new RemoteProtocolException("handshake without a node id");
        }
        return new Handshake(cluster, node, incarnation, address, protocol);
    }

    private static byte[] Text(string value, string what)
    {
        var bytes = Encoding.UTF8.GetBytes(value);
        if (bytes.Length > MaxTextBytes)
        {
            throw new ArgumentException($"{what} is longer than {MaxTextBytes} bytes", nameof(value));
        }
        return bytes;
    }

    private static string Utf8(ReadOnlySpan<byte> bytes, string what)
    {
        try
        {
            return new UTF8Encoding(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true).GetString(bytes);
        }
        catch (ArgumentException exception)
        {
            throw new RemoteProtocolException($"{what} is not valid UTF-8", exception);
        }
    }
}
