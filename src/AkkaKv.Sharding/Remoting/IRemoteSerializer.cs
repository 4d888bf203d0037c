using System.Buffers;

namespace AkkaKv.Sharding.Remoting;

/// <summary>
/// The explicit wire form of one message type sent to remote actors. Each serializer has a stable id (never reuse
/// one) and carries its own version inside its bytes; there is no reflection-based fallback, so a message without a
/// serializer cannot leave the node.
/// </summary>
public interface IRemoteSerializer
{
    /// <summary>The id written before the message; unique in a cluster's registry.</summary>
    ushort Id { get; }

    /// <summary>The message type this serializer writes and reads.</summary>
    Type MessageType { get; }

    void Write(object message, IBufferWriter<byte> output);

    /// <exception cref="FormatException">The bytes are not a valid message.</exception>
    object Read(ReadOnlySpan<byte> bytes);
}
