using System.Buffers;
using AkkaKv.Wire;

namespace AkkaKv.Sharding.Remoting;

/// <summary>Reads one message from a wire reader (positioned after the serializer's version byte).</summary>
internal delegate T ReadShardMessage<out T>(ref WireReader reader);

/// <summary>
/// The wire form of one shard protocol message: <c>version u8 | fields</c>, fields written and read by the given
/// functions; anything malformed (truncated, trailing bytes, oversized) is a <see cref="FormatException"/>.
/// </summary>
internal sealed class ShardMessageSerializer<T>(ushort id, Action<T, WireWriter> write, ReadShardMessage<T> read) : IRemoteSerializer
    where T : notnull
{
    private const byte Version = 1;

    public ushort Id => id;

    public Type MessageType => typeof(T);

    public void Write(object message, IBufferWriter<byte> output)
    {
        var writer = new WireWriter(output);
        writer.WriteByte(Version);
        write((T)message, writer);
    }

    public object Read(ReadOnlySpan<byte> bytes)
    {
        try
        {
            var reader = new WireReader(bytes);
            var version = reader.ReadByte("version");
            if (version != Version)
            {
                throw new FormatException($"unsupported {typeof(T).Name} version {version}");
            }
            var message = read(ref reader);
            reader.ExpectEnd(typeof(T).Name);
            return message;
        }
        catch (WireFormatException error)
        {
            throw new FormatException(error.Message, error);
        }
    }
}
