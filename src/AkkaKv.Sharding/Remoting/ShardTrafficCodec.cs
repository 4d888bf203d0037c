using System.Buffers;
using AkkaKv.Wire;

namespace AkkaKv.Sharding.Remoting;

/// <summary>
/// The wire forms of <see cref="ShardRequestBatch"/> — <c>version u8 | from u64 | to u64 | count u32 | count ×
/// (id i64 | shard u32 | message id u32 | length-prefixed message)</c> — and <see cref="ShardReplyBatch"/> —
/// <c>version u8 | count u32 | count × (id i64 | message id u32 | length-prefixed message)</c>, each message in its
/// own versioned form from <see cref="ShardProtocolSerializers"/>. Decoding refuses a request slot holding anything but
/// a request (and a reply slot anything but a reply), and anything truncated, trailing or oversized.
/// </summary>
public static class ShardTrafficCodec
{
    /// <summary>The batch format version.</summary>
    public const byte Version = 1;

    /// <summary>Most bytes one batch may hold: the decoder refuses more (the sender cuts batches far below it).</summary>
    public const int MaxBatchBytes = RaftBatchCodec.MaxBatchBytes;

    private const int MinimumRequestBytes = 8 + 4 + 4 + 4 + 1;
    private const int MinimumReplyBytes = 8 + 4 + 4 + 1;

    /// <summary>Writes <paramref name="batch"/> to <paramref name="output"/>.</summary>
    /// <exception cref="ArgumentException">A request has no wire form (it cannot leave the node).</exception>
    public static void Encode(ShardRequestBatch batch, IBufferWriter<byte> output)
    {
        ArgumentNullException.ThrowIfNull(batch);
        ArgumentNullException.ThrowIfNull(output);
        var writer = new WireWriter(output);
        writer.WriteByte(Version);
        writer.WriteUInt64(batch.From.Value);
        writer.WriteUInt64(batch.To.Value);
        writer.WriteUInt32((uint)batch.Requests.Count);
        var section = new ArrayBufferWriter<byte>();
        foreach (var request in batch.Requests)
        {
            writer.WriteInt64(request.Id);
            writer.WriteUInt32(request.Shard.Value);
            WriteMessage(writer, section, request.Request);
        }
    }

    /// <summary>Writes <paramref name="batch"/> to <paramref name="output"/>.</summary>
    /// <exception cref="ArgumentException">A reply has no wire form (it cannot leave the node).</exception>
    public static void Encode(ShardReplyBatch batch, IBufferWriter<byte> output)
    {
        ArgumentNullException.ThrowIfNull(batch);
        ArgumentNullException.ThrowIfNull(output);
        var writer = new WireWriter(output);
        writer.WriteByte(Version);
        writer.WriteUInt32((uint)batch.Replies.Count);
        var section = new ArrayBufferWriter<byte>();
        foreach (var reply in batch.Replies)
        {
            writer.WriteInt64(reply.Id);
            WriteMessage(writer, section, reply.Reply);
        }
    }

    /// <summary>Reads a request batch written by <see cref="Encode(ShardRequestBatch, IBufferWriter{byte})"/>.</summary>
    /// <exception cref="FormatException">The bytes are not a valid batch (the message says what is wrong).</exception>
    public static ShardRequestBatch DecodeRequests(ReadOnlySpan<byte> bytes)
    {
        try
        {
            var reader = Open(bytes, "shard request batch");
            var from = new NodeId(reader.ReadUInt64("from"));
            var to = new NodeId(reader.ReadUInt64("to"));
            if (from.IsNone || to.IsNone)
            {
                throw new WireFormatException("a shard request batch's sender and receiver must be real nodes");
            }
            var count = reader.ReadUInt32("request count");
            if (count > reader.Remaining / MinimumRequestBytes)
            {
                throw new WireFormatException($"{count} requests is more than the batch can hold");
            }
            var requests = new List<ForwardedShardRequest>((int)count);
            for (var i = 0; i < count; i++)
            {
                var id = reader.ReadInt64("request id");
                var shard = new ShardId(reader.ReadUInt32("shard"));
                requests.Add(new ForwardedShardRequest(id, shard, ReadMessage<ShardRequest>(ref reader, "request")));
            }
            reader.ExpectEnd("a shard request batch");
            return new ShardRequestBatch(from, to, requests);
        }
        catch (WireFormatException error)
        {
            throw new FormatException(error.Message, error);
        }
    }

    /// <summary>Reads a reply batch written by <see cref="Encode(ShardReplyBatch, IBufferWriter{byte})"/>.</summary>
    /// <exception cref="FormatException">The bytes are not a valid batch (the message says what is wrong).</exception>
    public static ShardReplyBatch DecodeReplies(ReadOnlySpan<byte> bytes)
    {
        try
        {
            var reader = Open(bytes, "shard reply batch");
            var count = reader.ReadUInt32("reply count");
            if (count > reader.Remaining / MinimumReplyBytes)
            {
                throw new WireFormatException($"{count} replies is more than the batch can hold");
            }
            var replies = new List<ForwardedShardReply>((int)count);
            for (var i = 0; i < count; i++)
            {
                var id = reader.ReadInt64("request id");
                replies.Add(new ForwardedShardReply(id, ReadMessage<ShardReply>(ref reader, "reply")));
            }
            reader.ExpectEnd("a shard reply batch");
            return new ShardReplyBatch(replies);
        }
        catch (WireFormatException error)
        {
            throw new FormatException(error.Message, error);
        }
    }

    /// <summary>Whether <paramref name="message"/> has a wire form, so it can travel in a batch.</summary>
    public static bool CanSend(object message) => ShardProtocolAkkaSerializer.Registry.TryGet(message.GetType(), out _);

    private static WireReader Open(ReadOnlySpan<byte> bytes, string what)
    {
        if (bytes.Length > MaxBatchBytes)
        {
            throw new WireFormatException($"a {what} of {bytes.Length} bytes exceeds the limit of {MaxBatchBytes}");
        }
        var reader = new WireReader(bytes);
        var version = reader.ReadByte($"{what} version");
        if (version != Version)
        {
            throw new WireFormatException($"unsupported {what} version {version} (this node speaks {Version})");
        }
        return reader;
    }

    private static void WriteMessage(WireWriter writer, ArrayBufferWriter<byte> section, object message)
    {
        if (!ShardProtocolAkkaSerializer.Registry.TryGet(message.GetType(), out var serializer))
        {
            throw new ArgumentException($"{message.GetType().Name} has no shard protocol serializer: it cannot leave the node", nameof(message));
        }
        section.ResetWrittenCount();
        serializer.Write(message, section);
        writer.WriteUInt32(serializer.Id);
        writer.WriteBytes(section.WrittenSpan);
    }

    private static T ReadMessage<T>(ref WireReader reader, string what)
        where T : class
    {
        var id = reader.ReadUInt32($"{what} message id");
        var bytes = reader.ReadBytes(what, MaxBatchBytes);
        if (id > ushort.MaxValue || !ShardProtocolAkkaSerializer.Registry.TryGet((ushort)id, out var serializer))
        {
            throw new WireFormatException($"unknown shard protocol message id {id} in a {what} slot (from a node of another version?)");
        }
        return serializer.Read(bytes) as T
            ?? throw new WireFormatException($"a {serializer.MessageType.Name} in a {what} slot");
    }
}
