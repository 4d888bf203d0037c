using System.Text;
using AkkaKv.Raft;
using AkkaKv.Wire;
using AkkaKv.Store;

namespace AkkaKv.Sharding.Remoting;

/// <summary>
/// Serializers of the shard protocol, so a request can be sent to a shard replica on another node through a remote
/// actor reference and its reply come back: reads, scans and writes (the write's command in its log form,
/// <see cref="KvCommandCodec"/>), and every reply (ids 100–108); and the administration of placement — starting and
/// stopping replicas and their refusals, membership changes, leader transfers, status (ids 110–119, 123); the configuration a coordinator publishes (120); placement events (121–122). Never reuse an id.
/// </summary>
public static class ShardProtocolSerializers
{
    private const int MaxTextBytes = 64 * 1024;
    private const int MaxValueBytes = 64 * 1024 * 1024;
    private const int MaxEvents = 10_000;
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
                writer.WriteUInt64(message.MinEpoch.Value);
            },
            (ref reader) => new ReadRequest(ReadText(ref reader, "key"), ReadConsistencyByte(reader.ReadByte("consistency")))
            {
                MinEpoch = new LogIndex(reader.ReadUInt64("epoch")),
            }));
        serializers.Add(new ShardMessageSerializer<ScanRequest>(102,
            (message, writer) =>
            {
                WriteText(writer, message.Prefix);
                writer.WriteUInt32((uint)message.Limit);
                writer.WriteByte((byte)message.Consistency);
                writer.WriteUInt64(message.MinEpoch.Value);
            },
            (ref reader) => new ScanRequest(ReadText(ref reader, "prefix"), checked((int)Math.Min(reader.ReadUInt32("limit"), int.MaxValue)), ReadConsistencyByte(reader.ReadByte("consistency")))
            {
                MinEpoch = new LogIndex(reader.ReadUInt64("epoch")),
            }));
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
        AddAdministration(serializers);
        return serializers;
    }

    /// <summary>Replica placement and membership administration, ids 110–119 and 123.</summary>
    private static void AddAdministration(RemoteSerializers serializers)
    {
        serializers.Add(new ShardMessageSerializer<StartReplica>(110, (message, writer) => writer.WriteUInt32(message.Shard.Value), (ref reader) => new StartReplica(new ShardId(reader.ReadUInt32("shard")))));
        serializers.Add(new ShardMessageSerializer<ReplicaStarted>(111, (message, writer) => writer.WriteUInt32(message.Shard.Value), (ref reader) => new ReplicaStarted(new ShardId(reader.ReadUInt32("shard")))));
        serializers.Add(new ShardMessageSerializer<StopReplica>(112, (message, writer) => writer.WriteUInt32(message.Shard.Value), (ref reader) => new StopReplica(new ShardId(reader.ReadUInt32("shard")))));
        serializers.Add(new ShardMessageSerializer<ReplicaStopped>(113, (message, writer) => writer.WriteUInt32(message.Shard.Value), (ref reader) => new ReplicaStopped(new ShardId(reader.ReadUInt32("shard")))));
        serializers.Add(new ShardMessageSerializer<ChangeMembership>(114,
            (message, writer) => writer.WriteBytes(message.Change.Encode()),
            (ref reader) => new ChangeMembership(DecodeChange(reader.ReadBytes("change", 64)))));
        serializers.Add(new ShardMessageSerializer<TransferLeadership>(115, (message, writer) => writer.WriteUInt64(message.Target.Value), (ref reader) => new TransferLeadership(new NodeId(reader.ReadUInt64("target")))));
        serializers.Add(new ShardMessageSerializer<AdminAccepted>(116, (message, writer) => WriteText(writer, message.Detail), (ref reader) => new AdminAccepted(ReadText(ref reader, "detail"))));
        serializers.Add(new ShardMessageSerializer<GetShardStatus>(117, (_, _) => { }, (ref _) => GetShardStatus.Instance));
        serializers.Add(new ShardMessageSerializer<ShardStatus>(118, WriteStatus, ReadStatus));
        serializers.Add(new ShardMessageSerializer<ReplicaNotStarted>(119,
            (message, writer) =>
            {
                writer.WriteUInt32(message.Shard.Value);
                WriteText(writer, message.Reason);
            },
            (ref reader) => new ReplicaNotStarted(new ShardId(reader.ReadUInt32("shard")), ReadText(ref reader, "reason"))));
        serializers.Add(new ShardMessageSerializer<ReplicaNotStopped>(123,
            (message, writer) =>
            {
                writer.WriteUInt32(message.Shard.Value);
                WriteText(writer, message.Reason);
            },
            (ref reader) => new ReplicaNotStopped(new ShardId(reader.ReadUInt32("shard")), ReadText(ref reader, "reason"))));
        serializers.Add(new ShardMessageSerializer<Placement.GetPlacementEvents>(121,
            (message, writer) =>
            {
                writer.WriteUInt32((uint)Math.Max(0, message.Max));
                writer.WriteByte(message.Forwarded ? (byte)1 : (byte)0);
            },
            (ref reader) => new Placement.GetPlacementEvents((int)Math.Min(reader.ReadUInt32("max"), MaxEvents), reader.ReadByte("forwarded") != 0)));
        serializers.Add(new ShardMessageSerializer<Placement.PlacementEventList>(122, WriteEvents, ReadEvents));
        serializers.Add(new ShardMessageSerializer<Placement.ShardMapPublished>(120,
            (message, writer) =>
            {
                writer.WriteUInt64(message.Coordinator.Value);
                writer.WriteBytes(Placement.ShardMapCodec.Encode(message.Map));
            },
            (ref reader) =>
            {
                var coordinator = new NodeId(reader.ReadUInt64("coordinator"));
                return new Placement.ShardMapPublished(Placement.ShardMapCodec.Decode(reader.ReadBytes("map", MaxValueBytes)), coordinator);
            }));
    }

    private static ConfChange DecodeChange(ReadOnlySpan<byte> bytes)
    {
        if (!ConfChange.IsEncoded(bytes))
        {
            throw new FormatException("not a membership change");
        }
        try
        {
            return ConfChange.Decode(bytes);
        }
        catch (Exception error) when (error is ArgumentException or InvalidDataException or InvariantViolationException)
        {
            throw new FormatException(error.Message, error);
        }
    }

    private static void WriteStatus(ShardStatus status, WireWriter writer)
    {
        writer.WriteUInt32(status.Shard.Value);
        writer.WriteUInt64(status.Node.Value);
        writer.WriteByte((byte)status.Role);
        writer.WriteUInt64(status.Term.Value);
        writer.WriteUInt64(status.Leader.Value);
        writer.WriteUInt64(status.CommitIndex.Value);
        writer.WriteUInt64(status.AppliedIndex.Value);
        writer.WriteUInt64(status.SnapshotIndex.Value);
        writer.WriteUInt32((uint)status.Keys);
        writer.WriteUInt32((uint)status.PendingWrites);
        WriteNodes(writer, status.Conf.Voters);
        WriteNodes(writer, status.Conf.Learners);
        writer.WriteUInt64(status.Conf.Index.Value);
        writer.WriteByte(status.Quiescent ? (byte)1 : (byte)0);
        writer.WriteUInt32((uint)status.Replicated.Count);
        foreach (var (node, index) in status.Replicated)
        {
            writer.WriteUInt64(node.Value);
            writer.WriteUInt64(index.Value);
        }
    }

    /// <summary>A count sent as u32 that must fit an Int32; a damaged one is a format error, not an overflow.</summary>
    private static int ReadInt32Count(ref WireReader reader, string what)
    {
        var count = reader.ReadUInt32(what);
        return count <= int.MaxValue ? (int)count : throw new FormatException($"{what} count {count} is out of range");
    }

    private static ShardStatus ReadStatus(ref WireReader reader)
    {
        var shard = new ShardId(reader.ReadUInt32("shard"));
        var node = new NodeId(reader.ReadUInt64("node"));
        var role = reader.ReadByte("role");
        if (role > (byte)RaftRole.Leader)
        {
            throw new FormatException($"role {role}");
        }
        var term = new Term(reader.ReadUInt64("term"));
        var leader = new NodeId(reader.ReadUInt64("leader"));
        var commit = new LogIndex(reader.ReadUInt64("commit"));
        var applied = new LogIndex(reader.ReadUInt64("applied"));
        var snapshot = new LogIndex(reader.ReadUInt64("snapshot"));
        var keys = ReadInt32Count(ref reader, "keys");
        var pending = ReadInt32Count(ref reader, "pending");
        var voters = ReadNodes(ref reader, "voters");
        var learners = ReadNodes(ref reader, "learners");
        var epoch = new LogIndex(reader.ReadUInt64("epoch"));
        var quiescent = reader.ReadByte("quiescent") switch
        {
            0 => false,
            1 => true,
            var other => throw new FormatException($"quiescent flag {other}"),
        };
        var count = reader.ReadUInt32("replicated count");
        if (count > reader.Remaining / 16)
        {
            throw new FormatException($"{count} replication records is more than the message can hold");
        }
        var replicated = new Dictionary<NodeId, LogIndex>();
        for (var i = 0; i < count; i++)
        {
            replicated[new NodeId(reader.ReadUInt64("member"))] = new LogIndex(reader.ReadUInt64("index"));
        }
        if (voters.Overlaps(learners))
        {
            throw new FormatException("a node both voter and learner");
        }
        return new ShardStatus(shard, node, (RaftRole)role, term, leader, commit, applied, snapshot, keys, pending, new ConfState(voters, learners) { Index = epoch })
        {
            Replicated = replicated,
            Quiescent = quiescent,
        };
    }

    private static void WriteEvents(Placement.PlacementEventList list, WireWriter writer)
    {
        writer.WriteUInt64(list.Coordinator.Value);
        writer.WriteUInt32((uint)list.Events.Count);
        foreach (var record in list.Events)
        {
            writer.WriteInt64(record.At.ToUnixTimeMilliseconds());
            WriteText(writer, record.Kind);
            WriteText(writer, record.Text);
        }
    }

    private static Placement.PlacementEventList ReadEvents(ref WireReader reader)
    {
        var coordinator = new NodeId(reader.ReadUInt64("coordinator"));
        var count = reader.ReadUInt32("event count");
        if (count > MaxEvents || count > reader.Remaining / 16)
        {
            throw new FormatException($"{count} events is more than the message can hold");
        }
        var events = new List<Placement.PlacementEventRecord>((int)count);
        for (var i = 0; i < count; i++)
        {
            var at = reader.ReadInt64("time");
            if (at < 0 || at > 253402300799999)
            {
                throw new FormatException($"event time {at} is out of range");
            }
            events.Add(new Placement.PlacementEventRecord(DateTimeOffset.FromUnixTimeMilliseconds(at), ReadText(ref reader, "kind"), ReadText(ref reader, "text")));
        }
        return new Placement.PlacementEventList(coordinator, events);
    }

    private static void WriteNodes(WireWriter writer, System.Collections.Immutable.ImmutableSortedSet<NodeId> nodes)
    {
        writer.WriteUInt32((uint)nodes.Count);
        foreach (var node in nodes)
        {
            writer.WriteUInt64(node.Value);
        }
    }

    private static HashSet<NodeId> ReadNodes(ref WireReader reader, string what)
    {
        var count = reader.ReadUInt32(what + " count");
        if (count > reader.Remaining / 8)
        {
            throw new FormatException($"{count} {what} is more than the message can hold");
        }
        var nodes = new HashSet<NodeId>();
        for (var i = 0; i < count; i++)
        {
            nodes.Add(new NodeId(reader.ReadUInt64(what)));
        }
        return nodes;
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
