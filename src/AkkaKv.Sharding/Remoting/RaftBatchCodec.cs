using System.Buffers;
using AkkaKv.Raft;
using AkkaKv.Wire;

namespace AkkaKv.Sharding.Remoting;

/// <summary>
/// The wire form of a <see cref="RaftBatch"/>: <c>version u8 | from u64 | to u64 | heartbeats (length-prefixed
/// <see cref="HeartbeatBatchCodec"/>) | count u32 | count × length-prefixed <see cref="RaftMessageCodec"/></c>.
/// Heartbeats and their answers are coalesced (sender and receiver are the batch's, not repeated); every other
/// message keeps its own versioned form. Decoding refuses a message whose sender or receiver is not the batch's — a
/// peer cannot speak for another node — and anything truncated, trailing or oversized.
/// </summary>
public static class RaftBatchCodec
{
    /// <summary>The batch format version.</summary>
    public const byte Version = 1;

    /// <summary>Most bytes one batch may hold: the decoder refuses more (the sender splits far below it).</summary>
    public const int MaxBatchBytes = 64 * 1024 * 1024;

    private const int MinimumMessageBytes = 4 + 1 + 4 + 1 + 8 + 8 + 8;

    /// <summary>Writes <paramref name="batch"/> to <paramref name="output"/>.</summary>
    public static void Encode(RaftBatch batch, IBufferWriter<byte> output)
    {
        ArgumentNullException.ThrowIfNull(batch);
        ArgumentNullException.ThrowIfNull(output);
        var heartbeats = new List<(ShardId, RaftMessage)>();
        var others = new List<RaftEnvelope>(batch.Messages.Count);
        foreach (var envelope in batch.Messages)
        {
            if (envelope.Message.From != batch.From || envelope.Message.To != batch.To)
            {
                throw new ArgumentException($"{envelope.Message.GetType().Name} from {envelope.Message.From} to {envelope.Message.To} in a batch from {batch.From} to {batch.To}", nameof(batch));
            }
            if (envelope.Message is Heartbeat or HeartbeatResponse)
            {
                heartbeats.Add((envelope.Shard, envelope.Message));
            }
            else
            {
                others.Add(envelope);
            }
        }
        var writer = new WireWriter(output);
        writer.WriteByte(Version);
        writer.WriteUInt64(batch.From.Value);
        writer.WriteUInt64(batch.To.Value);
        var section = new ArrayBufferWriter<byte>();
        HeartbeatBatchCodec.Encode(heartbeats, section);
        writer.WriteBytes(section.WrittenSpan);
        writer.WriteUInt32((uint)others.Count);
        foreach (var envelope in others)
        {
            section.ResetWrittenCount();
            RaftMessageCodec.Encode(envelope.Shard, envelope.Message, section);
            writer.WriteBytes(section.WrittenSpan);
        }
    }

    /// <summary>Reads a batch written by <see cref="Encode"/>.</summary>
    /// <exception cref="FormatException">The bytes are not a valid batch (the message says what is wrong).</exception>
    public static RaftBatch Decode(ReadOnlySpan<byte> bytes)
    {
        try
        {
            if (bytes.Length > MaxBatchBytes)
            {
                throw new WireFormatException($"a Raft batch of {bytes.Length} bytes exceeds the limit of {MaxBatchBytes}");
            }
            var reader = new WireReader(bytes);
            var version = reader.ReadByte("Raft batch version");
            if (version != Version)
            {
                throw new WireFormatException($"unsupported Raft batch version {version} (this node speaks {Version})");
            }
            var from = new NodeId(reader.ReadUInt64("from"));
            var to = new NodeId(reader.ReadUInt64("to"));
            if (from.IsNone || to.IsNone)
            {
                throw new WireFormatException("a Raft batch's sender and receiver must be real nodes");
            }
            var messages = new List<RaftEnvelope>();
            foreach (var (shard, heartbeat) in HeartbeatBatchCodec.Decode(reader.ReadBytes("heartbeats", MaxBatchBytes), from, to))
            {
                messages.Add(new RaftEnvelope(shard, heartbeat));
            }
            var count = reader.ReadUInt32("message count");
            if (count > reader.Remaining / MinimumMessageBytes)
            {
                throw new WireFormatException($"{count} Raft messages is more than the batch can hold");
            }
            for (var i = 0; i < count; i++)
            {
                var (shard, message) = RaftMessageCodec.Decode(reader.ReadBytes("Raft message", MaxBatchBytes));
                if (message.From != from || message.To != to)
                {
                    throw new WireFormatException($"a {message.GetType().Name} from {message.From} to {message.To} inside a batch from {from} to {to}");
                }
                messages.Add(new RaftEnvelope(shard, message));
            }
            reader.ExpectEnd("a Raft batch");
            return new RaftBatch(from, to, messages);
        }
        catch (WireFormatException error)
        {
            throw new FormatException(error.Message, error);
        }
    }
}
