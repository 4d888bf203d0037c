using System.Buffers;
using System.Buffers.Binary;
using System.Collections.Immutable;
using System.Text;

namespace AkkaKv.Cluster;

/// <summary>
/// The wire form of cluster messages: <c>version u8 | type u8 | from u64 | from-address | fields</c>, little-endian,
/// strings as u16 length + UTF-8 (≤ 255 bytes). A membership table is its members (node, name, incarnation, address, status, roles),
/// its reachability records and its seen set. Decoding refuses anything malformed with <see cref="FormatException"/>
/// naming the problem, checking counts against the bytes left before allocating.
/// </summary>
public static class ClusterMessageCodec
{
    public const byte Version = 2;
    public const int MaxMembers = 10_000;
    public const int MaxRoles = 64;
    private const int MaxTextBytes = 255;

    private enum MessageType : byte { Join = 1, Gossip = 2, HeartbeatRequest = 3, HeartbeatReply = 4, JoinNotReady = 5 }

    public static byte[] Encode(ClusterMessage message)
    {
        ArgumentNullException.ThrowIfNull(message);
        var output = new ArrayBufferWriter<byte>();
        Byte(output, Version);
        Byte(output, (byte)(message switch
        {
            JoinRequest => MessageType.Join,
            GossipEnvelope => MessageType.Gossip,
            HeartbeatRequest => MessageType.HeartbeatRequest,
            HeartbeatReply => MessageType.HeartbeatReply,
            JoinNotReady => MessageType.JoinNotReady,
            _ => throw new ArgumentException($"no wire form for {message.GetType().Name}", nameof(message)),
        }));
        UInt64(output, message.From.Value);
        Text(output, message.FromAddress);
        switch (message)
        {
            case JoinRequest join:
                WriteMember(output, join.Joining);
                break;
            case GossipEnvelope gossip:
                WriteState(output, gossip.State);
                break;
            case HeartbeatRequest request:
                UInt64(output, (ulong)request.Sequence);
                break;
            case HeartbeatReply reply:
                UInt64(output, (ulong)reply.Sequence);
                break;
        }
        return output.WrittenSpan.ToArray();
    }

    /// <exception cref="FormatException">The bytes are not a valid cluster message.</exception>
    public static ClusterMessage Decode(ReadOnlySpan<byte> bytes)
    {
        var reader = new Reader(bytes);
        var version = reader.Byte("version");
        if (version != Version)
        {
            throw new FormatException($"unsupported cluster message version {version} (this node speaks {Version})");
        }
        var type = (MessageType)reader.Byte("type");
        var from = new NodeId(reader.UInt64("from"));
        if (from.IsNone)
        {
            throw new FormatException("a cluster message without a sender");
        }
        var fromAddress = reader.Text("sender address");
        ClusterMessage message = type switch
        {
            MessageType.Join => new JoinRequest(ReadMember(ref reader)) { From = from, FromAddress = fromAddress },
            MessageType.Gossip => new GossipEnvelope(ReadState(ref reader)) { From = from, FromAddress = fromAddress },
            MessageType.HeartbeatRequest => new HeartbeatRequest((long)reader.UInt64("sequence")) { From = from, FromAddress = fromAddress },
            MessageType.HeartbeatReply => new HeartbeatReply((long)reader.UInt64("sequence")) { From = from, FromAddress = fromAddress },
            MessageType.JoinNotReady => new JoinNotReady { From = from, FromAddress = fromAddress },
            _ => throw new FormatException($"unknown cluster message type {(byte)type}"),
        };
        if (reader.Remaining != 0)
        {
            throw new FormatException($"{reader.Remaining} unexpected bytes after a {type} message");
        }
        return message;
    }

    private static void WriteMember(ArrayBufferWriter<byte> output, Member member)
    {
        UInt64(output, member.Node.Value);
        Text(output, member.Name);
        UInt64(output, member.Incarnation);
        Text(output, member.Address);
        Byte(output, (byte)member.Status);
        UInt32(output, (uint)member.Roles.Count);
        foreach (var role in member.Roles)
        {
            Text(output, role);
        }
    }

    private static Member ReadMember(ref Reader reader)
    {
        var node = new NodeId(reader.UInt64("member node"));
        var name = reader.Text("name");
        var incarnation = reader.UInt64("incarnation");
        var address = reader.Text("address");
        var status = reader.Byte("status");
        if (status > (byte)MemberStatus.Removed || node.IsNone)
        {
            throw new FormatException($"invalid member (node {node}, status {status})");
        }
        var roleCount = reader.Count("roles", MaxRoles, minimumBytesEach: 2);
        var roles = ImmutableSortedSet.CreateBuilder<string>(StringComparer.Ordinal);
        for (var i = 0; i < roleCount; i++)
        {
            roles.Add(reader.Text("role"));
        }
        return new Member(node, name, incarnation, address, (MemberStatus)status, roles.ToImmutable());
    }

    private static void WriteState(ArrayBufferWriter<byte> output, MembershipState state)
    {
        UInt32(output, (uint)state.Members.Count);
        foreach (var member in state.Members.Values)
        {
            WriteMember(output, member);
        }
        UInt32(output, (uint)state.Reachability.Count);
        foreach (var ((observer, subject), (reachable, version)) in state.Reachability)
        {
            UInt64(output, observer.Value);
            UInt64(output, subject.Value);
            Byte(output, reachable ? (byte)1 : (byte)0);
            UInt64(output, version);
        }
        UInt32(output, (uint)state.Seen.Count);
        foreach (var node in state.Seen)
        {
            UInt64(output, node.Value);
        }
    }

    private static MembershipState ReadState(ref Reader reader)
    {
        var members = ImmutableSortedDictionary.CreateBuilder<(NodeId, ulong), Member>();
        var memberCount = reader.Count("members", MaxMembers, minimumBytesEach: 25);
        for (var i = 0; i < memberCount; i++)
        {
            var member = ReadMember(ref reader);
            if (!members.TryAdd(member.Key, member))
            {
                throw new FormatException($"member {member.Node}#{member.Incarnation} listed twice");
            }
        }
        var reachability = ImmutableSortedDictionary.CreateBuilder<(NodeId, NodeId), (bool, ulong)>();
        var recordCount = reader.Count("reachability records", MaxMembers * 8, minimumBytesEach: 25);
        for (var i = 0; i < recordCount; i++)
        {
            var key = (new NodeId(reader.UInt64("observer")), new NodeId(reader.UInt64("subject")));
            var reachable = reader.Byte("reachable") switch
            {
                0 => false,
                1 => true,
                var other => throw new FormatException($"reachable flag {other}"),
            };
            if (!reachability.TryAdd(key, (reachable, reader.UInt64("version"))))
            {
                throw new FormatException("a reachability record listed twice");
            }
        }
        var seen = ImmutableSortedSet.CreateBuilder<NodeId>();
        var seenCount = reader.Count("seen", MaxMembers, minimumBytesEach: 8);
        for (var i = 0; i < seenCount; i++)
        {
            seen.Add(new NodeId(reader.UInt64("seen")));
        }
        return new MembershipState { Members = members.ToImmutable(), Reachability = reachability.ToImmutable(), Seen = seen.ToImmutable() };
    }

    private static void Byte(ArrayBufferWriter<byte> output, byte value)
    {
        output.GetSpan(1)[0] = value;
        output.Advance(1);
    }

    private static void UInt32(ArrayBufferWriter<byte> output, uint value)
    {
        BinaryPrimitives.WriteUInt32LittleEndian(output.GetSpan(4), value);
        output.Advance(4);
    }

    private static void UInt64(ArrayBufferWriter<byte> output, ulong value)
    {
        BinaryPrimitives.WriteUInt64LittleEndian(output.GetSpan(8), value);
        output.Advance(8);
    }

    private static void Text(ArrayBufferWriter<byte> output, string value)
    {
        var bytes = Encoding.UTF8.GetBytes(value);
        if (bytes.Length > MaxTextBytes)
        {
            throw new ArgumentException($"'{value[..20]}…' is longer than {MaxTextBytes} bytes", nameof(value));
        }
        BinaryPrimitives.WriteUInt16LittleEndian(output.GetSpan(2), (ushort)bytes.Length);
        output.Advance(2);
        output.Write(bytes);
    }

    private ref struct Reader(ReadOnlySpan<byte> bytes)
    {
        private readonly ReadOnlySpan<byte> _bytes = bytes;
        private int _position;

        public readonly int Remaining => _bytes.Length - _position;

        public byte Byte(string what) => Take(1, what)[0];

        public ulong UInt64(string what) => BinaryPrimitives.ReadUInt64LittleEndian(Take(8, what));

        public int Count(string what, int max, int minimumBytesEach)
        {
            var count = BinaryPrimitives.ReadUInt32LittleEndian(Take(4, what + " count"));
            if (count > max || count > (uint)(Remaining / minimumBytesEach))
            {
                throw new FormatException($"{count} {what} is more than the message can hold");
            }
            return (int)count;
        }

        public string Text(string what)
        {
            var length = BinaryPrimitives.ReadUInt16LittleEndian(Take(2, what + " length"));
            if (length > MaxTextBytes)
            {
                throw new FormatException($"{what} of {length} bytes exceeds {MaxTextBytes}");
            }
            try
            {
                return new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(Take(length, what));
            }
            catch (DecoderFallbackException exception)
            {
                throw new FormatException($"{what} is not valid UTF-8", exception);
            }
        }

        private ReadOnlySpan<byte> Take(int count, string what)
        {
            if (count > Remaining)
            {
                throw new FormatException($"truncated {what}: {count} bytes needed, {Remaining} left");
            }
            var span = _bytes.Slice(_position, count);
            _position += count;
            return span;
        }
    }
}
