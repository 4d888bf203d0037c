using System.Buffers;
using System.Runtime.Serialization;
using Akka.Actor;
using Akka.Serialization;

namespace AkkaKv.Sharding.Remoting;

/// <summary>Akka.NET's serializer for <see cref="RaftBatch"/> (<see cref="RaftBatchCodec"/>); its manifest names the batch format.</summary>
public sealed class RaftBatchSerializer(ExtendedActorSystem system) : SerializerWithStringManifest(system)
{
    /// <summary>This serializer's id in Akka's registry (never reuse it).</summary>
    public const int SerializerId = 4202;

    private const string BatchManifest = "rb";

    public override int Identifier => SerializerId;

    public override string Manifest(object o) => o is RaftBatch
        ? BatchManifest
        : throw new SerializationException($"{o?.GetType().Name} is not a Raft batch");

    public override byte[] ToBinary(object obj)
    {
        if (obj is not RaftBatch batch)
        {
            throw new SerializationException($"{obj?.GetType().Name} is not a Raft batch");
        }
        var output = new ArrayBufferWriter<byte>();
        RaftBatchCodec.Encode(batch, output);
        return output.WrittenSpan.ToArray();
    }

    public override object FromBinary(byte[] bytes, string manifest)
    {
        ArgumentNullException.ThrowIfNull(bytes);
        return manifest == BatchManifest
            ? RaftBatchCodec.Decode(bytes)
            : throw new SerializationException($"unknown Raft manifest '{manifest}' (from a node of another version?)");
    }
}
