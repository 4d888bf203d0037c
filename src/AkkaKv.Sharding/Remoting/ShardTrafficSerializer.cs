using System.Buffers;
using System.Runtime.Serialization;
using Akka.Actor;
using Akka.Serialization;

namespace AkkaKv.Sharding.Remoting;

/// <summary>Akka.NET's serializer for <see cref="ShardRequestBatch"/> and <see cref="ShardReplyBatch"/> (<see cref="ShardTrafficCodec"/>); the manifest names which.</summary>
public sealed class ShardTrafficSerializer(ExtendedActorSystem system) : SerializerWithStringManifest(system)
{
    /// <summary>This serializer's id in Akka's registry (never reuse it).</summary>
    public const int SerializerId = 4203;

    private const string RequestsManifest = "rq";
    private const string RepliesManifest = "rp";

    public override int Identifier => SerializerId;

    public override string Manifest(object o) => o switch
    {
        ShardRequestBatch => RequestsManifest,
        ShardReplyBatch => RepliesManifest,
        _ => throw new SerializationException($"{o?.GetType().Name} is not a shard request or reply batch"),
    };

    public override byte[] ToBinary(object obj)
    {
        var output = new ArrayBufferWriter<byte>();
        switch (obj)
        {
            case ShardRequestBatch requests: ShardTrafficCodec.Encode(requests, output); break;
            case ShardReplyBatch replies: ShardTrafficCodec.Encode(replies, output); break;
            default: throw new SerializationException($"{obj?.GetType().Name} is not a shard request or reply batch");
        }
        return output.WrittenSpan.ToArray();
    }

    public override object FromBinary(byte[] bytes, string manifest)
    {
        ArgumentNullException.ThrowIfNull(bytes);
        return manifest switch
        {
            RequestsManifest => ShardTrafficCodec.DecodeRequests(bytes),
            RepliesManifest => ShardTrafficCodec.DecodeReplies(bytes),
            _ => throw new SerializationException($"unknown shard traffic manifest '{manifest}' (from a node of another version?)"),
        };
    }
}
