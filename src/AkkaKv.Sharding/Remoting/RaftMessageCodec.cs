using System.Buffers;
using AkkaKv.Raft;
using AkkaKv.Wire;

namespace AkkaKv.Sharding.Remoting;

/// <summary>
/// The wire form of a Raft message for a shard's replica: <c>version u8 | shard u32 | type u8 | from u64 | to u64 |
/// term u64 | fields of the type</c>, little-endian, byte strings length-prefixed (u32). Decoding validates
/// everything the Raft core assumes (contiguous entries, known kinds, sane sizes), so a peer's bytes can never trip
/// an invariant inside the core. A new field means a new version byte; never reuse a type number.
/// </summary>
public static class RaftMessageCodec
{
    /// <summary>The codec version written in every message (2: snapshot metadata carries the configuration epoch, heartbeats a quiesce flag).</summary>
    public const byte Version = 2;

    /// <summary>Most entries one AppendEntries may carry.</summary>
    public const int MaxEntries = 100_000;

    /// <summary>Most members a membership may list.</summary>
    public const int MaxMembers = 1_000;

    private enum MessageType : byte
    {
        VoteRequest = 1,
        VoteResponse = 2,
        AppendEntries = 3,
        AppendResponse = 4,
        Heartbeat = 5,
        HeartbeatResponse = 6,
        InstallSnapshot = 7,
        SnapshotChunkResponse = 8,
        TimeoutNow = 9,
        ReadIndexRequest = 10,
        ReadIndexResponse = 11,
    }

    /// <summary>Writes <paramref name="message"/> for <paramref name="shard"/> to <paramref name="output"/>.</summary>
    public static void Encode(ShardId shard, RaftMessage message, IBufferWriter<byte> output)
    {
        ArgumentNullException.ThrowIfNull(message);
        ArgumentNullException.ThrowIfNull(output);
        var writer = new WireWriter(output);
        writer.WriteByte(Version);
        writer.WriteUInt32(shard.Value);
        writer.WriteByte((byte)TypeOf(message));
        writer.WriteUInt64(message.From.Value);
        writer.WriteUInt64(message.To.Value);
        writer.WriteUInt64(message.Term.Value);
        switch (message)
        {
            case VoteRequest vote:
                writer.WriteUInt64(vote.LastLogIndex.Value);
                writer.WriteUInt64(vote.LastLogTerm.Value);
                writer.WriteByte((byte)((vote.PreVote ? 1 : 0) | (vote.LeaderTransfer ? 2 : 0)));
                break;
            case VoteResponse vote:
                writer.WriteByte((byte)((vote.PreVote ? 1 : 0) | (vote.Granted ? 2 : 0)));
                break;
            case AppendEntries append:
                writer.WriteUInt64(append.PrevIndex.Value);
                writer.WriteUInt64(append.PrevTerm.Value);
                writer.WriteUInt64(append.Commit.Value);
                writer.WriteUInt32((uint)append.Entries.Count);
                foreach (var entry in append.Entries)
                {
                    writer.WriteUInt64(entry.Term.Value);
                    writer.WriteByte((byte)entry.Kind);
                    writer.WriteBytes(entry.Data.Span);
                }
                break;
            case AppendResponse response:
                writer.WriteUInt64(response.Index.Value);
                writer.WriteByte(response.Rejected ? (byte)1 : (byte)0);
                writer.WriteUInt64(response.HintIndex.Value);
                writer.WriteUInt64(response.HintTerm.Value);
                break;
            case Heartbeat heartbeat:
                writer.WriteUInt64(heartbeat.Commit.Value);
                writer.WriteUInt64(heartbeat.ReadContext);
                writer.WriteByte(heartbeat.Quiesce ? (byte)1 : (byte)0);
                break;
            case HeartbeatResponse response:
                writer.WriteUInt64(response.ReadContext);
                break;
            case InstallSnapshot chunk:
                WriteSnapshotMeta(writer, chunk.Snapshot);
                writer.WriteInt64(chunk.Offset);
                writer.WriteByte(chunk.Done ? (byte)1 : (byte)0);
                writer.WriteBytes(chunk.Data.Span);
                break;
            case SnapshotChunkResponse response:
                writer.WriteUInt64(response.SnapshotIndex.Value);
                writer.WriteInt64(response.NextOffset);
                break;
            case TimeoutNow:
                break;
            case ReadIndexRequest request:
                writer.WriteUInt64(request.RequestId);
                break;
            case ReadIndexResponse response:
                writer.WriteUInt64(response.RequestId);
                writer.WriteUInt64(response.Index.Value);
                break;
        }
    }

    /// <summary>Reads a message written by <see cref="Encode"/>; payload bytes are copied (the frame buffer is reused).</summary>
    /// <exception cref="WireFormatException">The bytes are not a valid message (the reason says what is wrong).</exception>
    public static (ShardId Shard, RaftMessage Message) Decode(ReadOnlySpan<byte> bytes, int maxDataBytes = 64 * 1024 * 1024)
    {
        var reader = new WireReader(bytes);
        var version = reader.ReadByte("version");
        if (version != Version)
        {
            throw new WireFormatException($"unsupported Raft message version {version} (this node speaks {Version})");
        }
        var shard = new ShardId(reader.ReadUInt32("shard"));
        var type = (MessageType)reader.ReadByte("type");
        var from = new NodeId(reader.ReadUInt64("from"));
        var to = new NodeId(reader.ReadUInt64("to"));
        var term = new Term(reader.ReadUInt64("term"));
        if (from.IsNone || to.IsNone)
        {
            throw new WireFormatException("sender and receiver must be real nodes");
        }
        RaftMessage message = type switch
        {
            MessageType.VoteRequest => ReadVoteRequest(ref reader, from, to, term),
            MessageType.VoteResponse => ReadVoteResponse(ref reader, from, to, term),
            MessageType.AppendEntries => ReadAppendEntries(ref reader, from, to, term, maxDataBytes),
            MessageType.AppendResponse => new AppendResponse(from, to, term, new LogIndex(reader.ReadUInt64("index")),
                ReadFlag(ref reader, "rejected"), new LogIndex(reader.ReadUInt64("hint index")), new Term(reader.ReadUInt64("hint term"))),
            MessageType.Heartbeat => new Heartbeat(from, to, term, new LogIndex(reader.ReadUInt64("commit")), reader.ReadUInt64("read context"))
            {
                Quiesce = ReadFlag(ref reader, "quiesce"),
            },
            MessageType.HeartbeatResponse => new HeartbeatResponse(from, to, term, reader.ReadUInt64("read context")),
            MessageType.InstallSnapshot => ReadInstallSnapshot(ref reader, from, to, term, maxDataBytes),
            MessageType.SnapshotChunkResponse => new SnapshotChunkResponse(from, to, term, new LogIndex(reader.ReadUInt64("snapshot index")), ReadOffset(ref reader, "next offset")),
            MessageType.TimeoutNow => new TimeoutNow(from, to, term),
            MessageType.ReadIndexRequest => new ReadIndexRequest(from, to, term, reader.ReadUInt64("request id")),
            MessageType.ReadIndexResponse => new ReadIndexResponse(from, to, term, reader.ReadUInt64("request id"), new LogIndex(reader.ReadUInt64("index"))),
            _ => throw new WireFormatException($"unknown Raft message type {(byte)type}"),
        };
        reader.ExpectEnd($"a {type} message");
        return (shard, message);
    }

    private static MessageType TypeOf(RaftMessage message) => message switch
    {
        VoteRequest => MessageType.VoteRequest,
        VoteResponse => MessageType.VoteResponse,
        AppendEntries => MessageType.AppendEntries,
        AppendResponse => MessageType.AppendResponse,
        Heartbeat => MessageType.Heartbeat,
        HeartbeatResponse => MessageType.HeartbeatResponse,
        InstallSnapshot => MessageType.InstallSnapshot,
        SnapshotChunkResponse => MessageType.SnapshotChunkResponse,
        TimeoutNow => MessageType.TimeoutNow,
        ReadIndexRequest => MessageType.ReadIndexRequest,
        ReadIndexResponse => MessageType.ReadIndexResponse,
        _ => throw new ArgumentException($"no wire form for {message.GetType().Name}", nameof(message)),
    };

    private static VoteRequest ReadVoteRequest(ref WireReader reader, NodeId from, NodeId to, Term term)
    {
        var lastIndex = new LogIndex(reader.ReadUInt64("last log index"));
        var lastTerm = new Term(reader.ReadUInt64("last log term"));
        var flags = ReadFlags(ref reader, "vote flags", 0b11);
        return new VoteRequest(from, to, term, lastIndex, lastTerm, PreVote: (flags & 1) != 0, LeaderTransfer: (flags & 2) != 0);
    }

    private static VoteResponse ReadVoteResponse(ref WireReader reader, NodeId from, NodeId to, Term term)
    {
        var flags = ReadFlags(ref reader, "vote flags", 0b11);
        return new VoteResponse(from, to, term, PreVote: (flags & 1) != 0, Granted: (flags & 2) != 0);
    }

    private static AppendEntries ReadAppendEntries(ref WireReader reader, NodeId from, NodeId to, Term term, int maxDataBytes)
    {
        var prevIndex = new LogIndex(reader.ReadUInt64("previous index"));
        var prevTerm = new Term(reader.ReadUInt64("previous term"));
        var commit = new LogIndex(reader.ReadUInt64("commit"));
        var count = reader.ReadUInt32("entry count");
        // Each entry takes at least 13 bytes, so a count the frame cannot hold is refused before allocating.
        if (count > MaxEntries || count > (uint)(reader.Remaining / 13))
        {
            throw new WireFormatException($"entry count {count} is more than the message can hold");
        }
        if (prevIndex.Value > ulong.MaxValue - count)
        {
            throw new WireFormatException("entry indexes overflow");
        }
        var entries = new RaftEntry[count];
        for (var i = 0; i < entries.Length; i++)
        {
            var entryTerm = new Term(reader.ReadUInt64("entry term"));
            if (entryTerm > term)
            {
                throw new WireFormatException($"entry of {entryTerm} is newer than the message's {term}");
            }
            var kind = reader.ReadByte("entry kind");
            if (kind > (byte)RaftEntryKind.ConfChange)
            {
                throw new WireFormatException($"unknown entry kind {kind}");
            }
            var data = reader.ReadBytes("entry data", maxDataBytes).ToArray();
            if (kind == (byte)RaftEntryKind.ConfChange)
            {
                try
                {
                    ConfChange.Decode(data);
                }
                catch (FormatException exception)
                {
                    throw new WireFormatException("a membership entry does not decode", exception);
                }
            }
            entries[i] = new RaftEntry(prevIndex.Plus((ulong)i + 1), entryTerm, (RaftEntryKind)kind, data);
        }
        return new AppendEntries(from, to, term, prevIndex, prevTerm, entries, commit);
    }

    private static InstallSnapshot ReadInstallSnapshot(ref WireReader reader, NodeId from, NodeId to, Term term, int maxDataBytes)
    {
        var snapshot = ReadSnapshotMeta(ref reader);
        var offset = ReadOffset(ref reader, "chunk offset");
        var done = ReadFlag(ref reader, "done");
        var data = reader.ReadBytes("snapshot chunk", maxDataBytes).ToArray();
        if (offset + data.Length > snapshot.SizeBytes)
        {
            throw new WireFormatException($"chunk at {offset} of {data.Length} bytes runs past the snapshot's {snapshot.SizeBytes} bytes");
        }
        return new InstallSnapshot(from, to, term, snapshot, offset, data, done);
    }

    private static void WriteSnapshotMeta(WireWriter writer, RaftSnapshotMeta snapshot)
    {
        writer.WriteUInt64(snapshot.Index.Value);
        writer.WriteUInt64(snapshot.Term.Value);
        foreach (var members in new[] { snapshot.Conf.Voters, snapshot.Conf.Learners })
        {
            writer.WriteUInt32((uint)members.Count);
            foreach (var member in members)
            {
                writer.WriteUInt64(member.Value);
            }
        }
        writer.WriteUInt64(snapshot.Conf.Index.Value);
        writer.WriteInt64(snapshot.SizeBytes);
    }

    private static RaftSnapshotMeta ReadSnapshotMeta(ref WireReader reader)
    {
        var index = new LogIndex(reader.ReadUInt64("snapshot index"));
        var term = new Term(reader.ReadUInt64("snapshot term"));
        var voters = ReadMembers(ref reader, "voters");
        var learners = ReadMembers(ref reader, "learners");
        if (voters.Overlaps(learners))
        {
            throw new WireFormatException("a node is both voter and learner");
        }
        var epoch = new LogIndex(reader.ReadUInt64("configuration epoch"));
        if (epoch > index)
        {
            throw new WireFormatException($"configuration epoch {epoch} is past the snapshot index {index}");
        }
        var size = ReadOffset(ref reader, "snapshot size");
        return new RaftSnapshotMeta(index, term, new ConfState(voters, learners) { Index = epoch }, size);
    }

    private static HashSet<NodeId> ReadMembers(ref WireReader reader, string what)
    {
        var count = reader.ReadUInt32(what + " count");
        if (count > MaxMembers || count > (uint)(reader.Remaining / 8))
        {
            throw new WireFormatException($"{count} {what} is more than the message can hold");
        }
        var members = new HashSet<NodeId>();
        for (var i = 0; i < count; i++)
        {
            members.Add(new NodeId(reader.ReadUInt64(what)));
        }
        return members;
    }

    private static long ReadOffset(ref WireReader reader, string what)
    {
        var value = reader.ReadInt64(what);
        if (value < 0)
        {
            throw new WireFormatException($"negative {what} {value}");
        }
        return value;
    }

    private static bool ReadFlag(ref WireReader reader, string what) => ReadFlags(ref reader, what, 1) != 0;

    private static byte ReadFlags(ref WireReader reader, string what, byte allowed)
    {
        var flags = reader.ReadByte(what);
        if ((flags & ~allowed) != 0)
        {
            throw new WireFormatException($"unknown bits in {what}: 0x{flags:x2}");
        }
        return flags;
    }
}
