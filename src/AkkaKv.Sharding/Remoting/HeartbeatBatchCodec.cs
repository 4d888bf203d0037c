using System.Buffers;
using AkkaKv.Raft;
using AkkaKv.Wire;

namespace AkkaKv.Sharding.Remoting;

/// <summary>
/// The Raft heartbeats (and their answers) of many shards between the same two nodes, in one frame — the coalescing
/// of multi-Raft systems: with hundreds of shards per node pair, one frame per heartbeat round instead of one per
/// shard. Sender and receiver are the connection's two ends, so they are not repeated per entry.
/// <c>version u8 | count u32 | per entry: type u8 (1 heartbeat, 2 answer, 3 quiescing heartbeat) | shard u32 | term u64 |
/// [commit u64] | context u64</c>.
/// </summary>
public static class HeartbeatBatchCodec
{
    /// <summary>The batch format version (2: quiescing heartbeats).</summary>
    public const byte Version = 2;
    private const byte HeartbeatType = 1;
    private const byte ResponseType = 2;
    private const byte QuiescingHeartbeatType = 3;
    private const int MinimumEntryBytes = 1 + 4 + 8 + 8;

    /// <summary>Encodes <paramref name="heartbeats"/> (each a <see cref="Heartbeat"/> or <see cref="HeartbeatResponse"/>).</summary>
    public static void Encode(IReadOnlyCollection<(ShardId Shard, RaftMessage Message)> heartbeats, IBufferWriter<byte> output)
    {
        ArgumentNullException.ThrowIfNull(heartbeats);
        var writer = new WireWriter(output);
        writer.WriteByte(Version);
        writer.WriteUInt32((uint)heartbeats.Count);
        foreach (var (shard, message) in heartbeats)
        {
            switch (message)
            {
                case Heartbeat heartbeat:
                    writer.WriteByte(heartbeat.Quiesce ? QuiescingHeartbeatType : HeartbeatType);
                    writer.WriteUInt32(shard.Value);
                    writer.WriteUInt64(heartbeat.Term.Value);
                    writer.WriteUInt64(heartbeat.Commit.Value);
                    writer.WriteUInt64(heartbeat.ReadContext);
                    break;
                case HeartbeatResponse response:
                    writer.WriteByte(ResponseType);
                    writer.WriteUInt32(shard.Value);
                    writer.WriteUInt64(response.Term.Value);
                    writer.WriteUInt64(response.ReadContext);
                    break;
                default:
                    throw new ArgumentException($"{message.GetType().Name} is not a heartbeat", nameof(heartbeats));
            }
        }
    }

    /// <summary>The messages of a batch sent by <paramref name="from"/> to <paramref name="to"/>.</summary>
    /// <exception cref="WireFormatException">The bytes are not a valid batch.</exception>
    public static List<(ShardId Shard, RaftMessage Message)> Decode(ReadOnlySpan<byte> bytes, NodeId from, NodeId to)
    {
        var reader = new WireReader(bytes);
        var version = reader.ReadByte("heartbeat batch version");
        if (version != Version)
        {
            throw new WireFormatException($"unsupported heartbeat batch version {version}");
        }
        var count = reader.ReadUInt32("heartbeat count");
        if (count > reader.Remaining / MinimumEntryBytes)
        {
            throw new WireFormatException($"{count} heartbeats is more than the frame can hold");
        }
        var messages = new List<(ShardId, RaftMessage)>((int)count);
        for (var i = 0; i < count; i++)
        {
            var type = reader.ReadByte("heartbeat type");
            var shard = new ShardId(reader.ReadUInt32("shard"));
            var term = new Term(reader.ReadUInt64("term"));
            RaftMessage message = type switch
            {
                HeartbeatType => new Heartbeat(from, to, term, new LogIndex(reader.ReadUInt64("commit")), reader.ReadUInt64("context")),
                QuiescingHeartbeatType => new Heartbeat(from, to, term, new LogIndex(reader.ReadUInt64("commit")), reader.ReadUInt64("context")) { Quiesce = true },
                ResponseType => new HeartbeatResponse(from, to, term, reader.ReadUInt64("context")),
                _ => throw new WireFormatException($"unknown heartbeat type {type}"),
            };
            messages.Add((shard, message));
        }
        reader.ExpectEnd("a heartbeat batch");
        return messages;
    }
}
