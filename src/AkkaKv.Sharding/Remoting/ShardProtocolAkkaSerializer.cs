using System.Buffers;
using System.Globalization;
using System.Runtime.Serialization;
using Akka.Actor;
using Akka.Serialization;

namespace AkkaKv.Sharding.Remoting;

/// <summary>
/// Akka.NET's serializer for the shard protocol (requests, replies, placement administration and events): each
/// message in its versioned binary form from <see cref="ShardProtocolSerializers"/>, the manifest naming the message's
/// wire id. Bound to every type it knows by <see cref="ShardingSerialization.Hocon"/>; a message it does not know is
/// refused at send, and bytes it cannot read are a <see cref="FormatException"/> (an unknown manifest a
/// <see cref="SerializationException"/>), never a half-read message.
/// </summary>
public sealed class ShardProtocolAkkaSerializer(ExtendedActorSystem system) : SerializerWithStringManifest(system)
{
    /// <summary>This serializer's id in Akka's registry (never reuse it).</summary>
    public const int SerializerId = 4201;

    /// <summary>Every message type of the shard protocol and its wire serializer.</summary>
    internal static readonly RemoteSerializers Registry = new RemoteSerializers().AddShardProtocol();

    public override int Identifier => SerializerId;

    public override string Manifest(object o) => SerializerOf(o).Id.ToString(CultureInfo.InvariantCulture);

    public override byte[] ToBinary(object obj)
    {
        var output = new ArrayBufferWriter<byte>();
        SerializerOf(obj).Write(obj, output);
        return output.WrittenSpan.ToArray();
    }

    public override object FromBinary(byte[] bytes, string manifest)
    {
        ArgumentNullException.ThrowIfNull(bytes);
        if (!ushort.TryParse(manifest, NumberStyles.None, CultureInfo.InvariantCulture, out var id) || !Registry.TryGet(id, out var serializer))
        {
            throw new SerializationException($"unknown shard protocol manifest '{manifest}' (from a node of another version?)");
        }
        return serializer.Read(bytes);
    }

    private static IRemoteSerializer SerializerOf(object message)
    {
        ArgumentNullException.ThrowIfNull(message);
        return Registry.TryGet(message.GetType(), out var serializer)
            ? serializer
            : throw new SerializationException($"{message.GetType().Name} has no shard protocol serializer: it cannot leave the node");
    }
}
