using System.Buffers;
using System.Text;

namespace AkkaKv.Remote;

/// <summary>
/// An actor message frame: <c>version u8 | recipient path | sender path (empty: none) | serializer u16 | message</c>,
/// paths as u32 length + UTF-8 (≤ <see cref="RemoteActorPath.MaxLength"/> bytes), the message to the end of the frame.
/// </summary>
public static class ActorMessageCodec
{
    public const byte Version = 1;

    public static byte[] Encode(string recipient, string? sender, ushort serializer, ReadOnlySpan<byte> message)
    {
        var output = new ArrayBufferWriter<byte>(message.Length + 128);
        var writer = new WireWriter(output);
        writer.WriteByte(Version);
        writer.WriteBytes(Encoding.UTF8.GetBytes(recipient));
        writer.WriteBytes(Encoding.UTF8.GetBytes(sender ?? ""));
        writer.WriteByte((byte)(serializer & 0xFF));
        writer.WriteByte((byte)(serializer >> 8));
        output.Write(message);
        return output.WrittenSpan.ToArray();
    }

    /// <exception cref="RemoteProtocolException">The frame is malformed.</exception>
    public static (string Recipient, string? Sender, ushort Serializer, ReadOnlyMemory<byte> Message) Decode(ReadOnlyMemory<byte> frame)
    {
        var reader = new WireReader(frame.Span);
        var version = reader.ReadByte("actor message version");
        if (version != Version)
        {
            throw new RemoteProtocolException($"unsupported actor message version {version}");
        }
        var recipient = Text(reader.ReadBytes("recipient", RemoteActorPath.MaxLength), "recipient");
        var sender = Text(reader.ReadBytes("sender", RemoteActorPath.MaxLength), "sender");
        var serializer = (ushort)(reader.ReadByte("serializer") | (reader.ReadByte("serializer") << 8));
        var consumed = frame.Length - reader.Remaining;
        return (recipient, sender.Length == 0 ? null : sender, serializer, frame[consumed..]);
    }

    private static string Text(ReadOnlySpan<byte> bytes, string what)
    {
        try
        {
            return new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(bytes);
        }
        catch (DecoderFallbackException)
        {
            throw new RemoteProtocolException($"{what} path is not valid UTF-8");
        }
    }
}
