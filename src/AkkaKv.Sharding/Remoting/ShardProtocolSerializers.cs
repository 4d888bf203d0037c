using System.Text;
using AkkaKv.Remote;
using AkkaKv.Store;

namespace AkkaKv.Sharding.Remoting;

/// <summary>
/// Serializers of the shard protocol, so a request can be sent to a shard replica on another node through a remote
/// actor reference and its reply come back: reads, scans and writes (the write's command in its log form,
/// <see cref="KvCommandCodec"/>), and every reply. Ids 100–109; never reuse one.
/// </summary>
public static class ShardProtocolSerializers
{
    private const int MaxTextBytes = 64 * 1024;
    private const int MaxValueBytes = 64 * 1024 * 1024;
    private static readonly UTF8Encoding StrictUtf8 = new(false, throwOnInvalidBytes: true);

    /// <summary>Registers every shard protocol serializer in <paramref name="serializers"/>.</summary>
    public static RemoteSerializers AddShardProtocol(this RemoteSerializers serializers)
    {
        ArgumentNullException.ThrowIfNull(serializers);
        serializers.Add(new ShardMessageSerializer<WriteRequest>(100,
            (message, writer) => writer.WriteBytes(KvCommandCodec.Encode(message.Command)),
            (ref reader) => new WriteRequest(DecodeCommand(reader.ReadBytes("command", MaxValueBytes + MaxTextBytes)))));
        serializers.Add(new ShardMessageSerializer<ReadRequest>(101,
            (message, writer) =>
            {
                WriteText(writer, message.Key);
                writer.WriteByte((byte)message.Consistency);
            },
            (ref reader) => new ReadRequest(ReadText(ref reader, "key"), ReadConsistencyByte(reader.ReadByte("consistency")))));
        serializers.Add(new ShardMessageSerializer<ScanRequest>(102,
            (message, writer) =>
            {
                WriteText(writer, message.Prefix);
                writer.WriteUInt32((uint)message.Limit);
            },
            (ref reader) => new ScanRequest(ReadText(ref reader, "prefix"), checked((int)Math.Min(reader.ReadUInt32("limit"), int.MaxValue)))));
        serializers.Add(new ShardMessageSerializer<WriteReply>(103, WriteResult, (ref reader) => new WriteReply(ReadResult(ref reader))));
        serializers.Add(new ShardMessageSerializer<ReadReply>(104,
            (message, writer) =>
            {
                writer.WriteByte(message.Value is null ? (byte)0 : (byte)1);
                if (message.Value is { } value)
                {
                    writer.WriteBytes(value.Value.Span);
                    writer.WriteUInt64(value.Version.Value);
                }
            },
            (ref reader) => reader.ReadByte("present") switch
            {
                0 => new ReadReply(null),
                1 => new ReadReply(new KvValue(reader.ReadBytes("value", MaxValueBytes).ToArray(), new LogIndex(reader.ReadUInt64("version")))),
                var other => throw new FormatException($"present flag {other}"),
            }));
        serializers.Add(new ShardMessageSerializer<ScanReply>(105,
            (message, writer) =>
            {
                writer.WriteUInt32((uint)message.Keys.Count);
                foreach (var key in message.Keys)
                {
                    WriteText(writer, key.Key);
                    writer.WriteUInt64(key.Version.Value);
                }
            },
            (ref reader) =>
            {
                var count = reader.ReadUInt32("key count");
                if (count > reader.Remaining / 12)
                {
                    throw new FormatException($"{count} keys is more than the message can hold");
                }
                var keys = new List<KeyVersion>((int)count);
                for (var i = 0; i < count; i++)
                {
                    keys.Add(new KeyVersion(ReadText(ref reader, "key"), new LogIndex(reader.ReadUInt64("version"))));
                }
                return new ScanReply(keys);
            }));
        serializers.Add(new ShardMessageSerializer<NotLeader>(106,
            (message, writer) => writer.WriteUInt64(message.Leader.Value),
            (ref reader) => new NotLeader(new NodeId(reader.ReadUInt64("leader")))));
        serializers.Add(new ShardMessageSerializer<ShardUnavailable>(107,
            (message, writer) => WriteText(writer, message.Reason),
            (ref reader) => new ShardUnavailable(ReadText(ref reader, "reason"))));
        serializers.Add(new ShardMessageSerializer<OutcomeUnknown>(108,
            (message, writer) => WriteText(writer, message.Reason),
            (ref reader) => new OutcomeUnknown(ReadText(ref reader, "reason"))));
        return serializers;
    }

    private static KvCommand DecodeCommand(ReadOnlySpan<byte> bytes)
    {
        try
        {
            return KvCommandCodec.Decode(bytes.ToArray());
        }
        catch (InvalidDataException error)
        {
            throw new FormatException(error.Message, error);
        }
    }

    private static ReadConsistency ReadConsistencyByte(byte value) =>
        value <= (byte)ReadConsistency.Eventual ? (ReadConsistency)value : throw new FormatException($"consistency {value}");

    private static void WriteResult(WriteReply reply, WireWriter writer)
    {
        switch (reply.Result)
        {
            case KvResult.Written written:
                writer.WriteByte(1);
                writer.WriteUInt64(written.Version.Value);
                break;
            case KvResult.Deleted:
                writer.WriteByte(2);
                break;
            case KvResult.NotFound:
                writer.WriteByte(3);
                break;
            case KvResult.ConditionFailed failed:
                writer.WriteByte(4);
                writer.WriteByte(failed.CurrentVersion is null ? (byte)0 : (byte)1);
                writer.WriteUInt64(failed.CurrentVersion?.Value ?? 0);
                break;
            default:
                throw new ArgumentException($"no wire form for {reply.Result.GetType().Name}", nameof(reply));
        }
    }

    private static KvResult ReadResult(ref WireReader reader) => reader.ReadByte("result") switch
    {
        1 => new KvResult.Written(new LogIndex(reader.ReadUInt64("version"))),
        2 => new KvResult.Deleted(),
        3 => new KvResult.NotFound(),
        4 => reader.ReadByte("has version") switch
        {
            0 when reader.ReadUInt64("version") == 0 => new KvResult.ConditionFailed(null),
            1 => new KvResult.ConditionFailed(new LogIndex(reader.ReadUInt64("version"))),
            var other => throw new FormatException($"invalid condition-failed form {other}"),
        },
        var other => throw new FormatException($"unknown write result {other}"),
    };

    private static void WriteText(WireWriter writer, string text) => writer.WriteBytes(Encoding.UTF8.GetBytes(text));

    private static string ReadText(ref WireReader reader, string what)
    {
        try
        {
            return StrictUtf8.GetString(reader.ReadBytes(what, MaxTextBytes));
        }
        catch (DecoderFallbackException error)
        {
            throw new FormatException($"{what} is not valid UTF-8", error);
        }
    }
}
