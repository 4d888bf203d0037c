using System.Runtime.Serialization;
using Akka.Configuration;
using Akka.Serialization;
using AkkaKv.Raft;
using AkkaKv.Sharding.Remoting;
using AkkaSystem = Akka.Actor.ActorSystem;

namespace AkkaKv.Sharding.Tests.Remoting;

/// <summary>
/// The sharding layer's messages under Akka.NET serialization: every shard protocol message and the Raft batch are
/// bound (by <see cref="ShardingSerialization.Hocon"/>) to AkkaKv's binary serializers, never to Akka's JSON default,
/// and round-trip through them; a Raft batch coalesces its heartbeats and refuses truncated, trailing, oversized and
/// impersonating bytes; an unknown manifest is a clear error. Finally both travel between two actor systems over
/// Akka.Remote on loopback.
/// </summary>
public sealed class AkkaSerializationTests : IDisposable
{
    private static readonly NodeId A = new(1);
    private static readonly NodeId B = new(2);
    private readonly AkkaSystem _system = AkkaSystem.Create("serialization", ConfigurationFactory.ParseString(ShardingSerialization.Hocon));

    public void Dispose() => _system.Terminate().Wait(TimeSpan.FromSeconds(10));

    public static TheoryData<int> Indexes() => [.. Enumerable.Range(0, ShardProtocolRemotingTests.Samples().Count)];

    internal static RaftBatch SampleBatch() => new(A, B,
    [
        new RaftEnvelope(new ShardId(1), new Heartbeat(A, B, new Term(3), new LogIndex(10), 7)),
        new RaftEnvelope(new ShardId(2), new AppendEntries(A, B, new Term(3), new LogIndex(4), new Term(2),
            [new RaftEntry(new LogIndex(5), new Term(3), RaftEntryKind.Normal, new byte[] { 1, 2, 3 })], new LogIndex(4))),
        new RaftEnvelope(new ShardId(3), new Heartbeat(A, B, new Term(9), new LogIndex(99), 0) { Quiesce = true }),
        new RaftEnvelope(new ShardId(4), new HeartbeatResponse(A, B, new Term(2), 5)),
        new RaftEnvelope(new ShardId(5), new VoteRequest(A, B, new Term(4), new LogIndex(8), new Term(3), PreVote: true, LeaderTransfer: false)),
        new RaftEnvelope(new ShardId(6), new AppendResponse(A, B, new Term(3), new LogIndex(5), Rejected: false, LogIndex.Zero, Term.Zero)),
    ]);

    private SerializerWithStringManifest SerializerFor(object message) =>
        Assert.IsAssignableFrom<SerializerWithStringManifest>(_system.Serialization.FindSerializerFor(message));

    [Theory]
    [MemberData(nameof(Indexes))]
    public void Every_shard_protocol_message_is_bound_to_the_binary_serializer_and_round_trips(int index)
    {
        var message = ShardProtocolRemotingTests.Samples()[index];
        var serializer = SerializerFor(message);
        Assert.IsType<ShardProtocolAkkaSerializer>(serializer);
        var bytes = serializer.ToBinary(message);
        var decoded = serializer.FromBinary(bytes, serializer.Manifest(message));
        Assert.IsType(message.GetType(), decoded);
        Assert.Equal(bytes, serializer.ToBinary(decoded)); // every field survived
    }

    [Fact]
    public void A_raft_batch_round_trips_with_its_heartbeats_coalesced()
    {
        var batch = SampleBatch();
        var serializer = SerializerFor(batch);
        Assert.IsType<RaftBatchSerializer>(serializer);
        var decoded = Assert.IsType<RaftBatch>(serializer.FromBinary(serializer.ToBinary(batch), serializer.Manifest(batch)));
        Assert.Equal((A, B), (decoded.From, decoded.To));
        Assert.Equal(Describe(batch), Describe(decoded));
        Assert.True(decoded.Messages.Single(envelope => envelope.Shard == new ShardId(3)).Message is Heartbeat { Quiesce: true });
        // Heartbeats carry no sender and receiver of their own: 3 of them cost less than one AppendEntries' header each.
        var alone = RaftBatchCodecBytes(new RaftBatch(A, B, [.. batch.Messages.Where(envelope => envelope.Message is not (Heartbeat or HeartbeatResponse))]));
        Assert.True(RaftBatchCodecBytes(batch).Length - alone.Length < 3 * (4 + 1 + 4 + 1 + 8 + 8 + 8));
    }

    [Fact]
    public void An_empty_batch_round_trips()
    {
        var empty = new RaftBatch(A, B, []);
        Assert.Empty(RaftBatchCodec.Decode(RaftBatchCodecBytes(empty)).Messages);
    }

    [Fact]
    public void Every_truncation_and_a_trailing_byte_of_a_raft_batch_are_refused()
    {
        var bytes = RaftBatchCodecBytes(SampleBatch());
        for (var cut = 0; cut < bytes.Length; cut++)
        {
            Assert.Throws<FormatException>(() => RaftBatchCodec.Decode(bytes.AsSpan(0, cut)));
        }
        Assert.Throws<FormatException>(() => RaftBatchCodec.Decode([.. bytes, 0]));
    }

    [Fact]
    public void Random_bytes_never_decode_into_a_batch_or_fail_other_than_as_a_format_error()
    {
        const int seed = 4202;
        var random = new Random(seed);
        var valid = RaftBatchCodecBytes(SampleBatch());
        for (var i = 0; i < 2_000; i++)
        {
            var bytes = (byte[])valid.Clone();
            bytes[random.Next(bytes.Length)] ^= (byte)random.Next(1, 256);
            try
            {
                RaftBatchCodec.Decode(bytes); // a flipped payload byte may still be a valid batch
            }
            catch (FormatException)
            {
            }
            catch (Exception other)
            {
                Assert.Fail($"seed {seed}, case {i}: {other.GetType().Name}: {other.Message}");
            }
        }
    }

    [Fact]
    public void A_batch_may_not_carry_a_message_of_another_sender()
    {
        var forged = new RaftBatch(A, B, [new RaftEnvelope(new ShardId(1), new VoteRequest(new NodeId(3), B, new Term(9), LogIndex.Zero, Term.Zero, false, false))]);
        Assert.Throws<ArgumentException>(() => RaftBatchCodecBytes(forged));
        // The same forgery crafted by hand: the message's own header names node 3, the batch's node 1.
        var honest = RaftBatchCodecBytes(new RaftBatch(new NodeId(3), B, forged.Messages));
        honest[1] = 1; // from: node 3 → node 1 (little-endian u64 after the version byte)
        var error = Assert.Throws<FormatException>(() => RaftBatchCodec.Decode(honest));
        Assert.Contains("inside a batch from n1", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_batch_claiming_more_messages_than_it_holds_is_refused_without_allocating_them()
    {
        var bytes = RaftBatchCodecBytes(new RaftBatch(A, B, []));
        BitConverter.TryWriteBytes(bytes.AsSpan(bytes.Length - 4), uint.MaxValue);
        Assert.Contains("more than the batch can hold", Assert.Throws<FormatException>(() => RaftBatchCodec.Decode(bytes)).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_unknown_manifest_is_a_serialization_error_naming_it()
    {
        var shard = SerializerFor(new ShardUnavailable("x"));
        Assert.Contains("'999'", Assert.Throws<SerializationException>(() => shard.FromBinary([1], "999")).Message, StringComparison.Ordinal);
        Assert.Contains("'zz'", Assert.Throws<SerializationException>(() => shard.FromBinary([1], "zz")).Message, StringComparison.Ordinal);
        var raft = SerializerFor(SampleBatch());
        Assert.Contains("'x'", Assert.Throws<SerializationException>(() => raft.FromBinary([1], "x")).Message, StringComparison.Ordinal);
    }

    private static byte[] RaftBatchCodecBytes(RaftBatch batch)
    {
        var output = new System.Buffers.ArrayBufferWriter<byte>();
        RaftBatchCodec.Encode(batch, output);
        return output.WrittenSpan.ToArray();
    }

    /// <summary>Each message's own encoding, in shard order: equal for batches with the same messages.</summary>
    internal static List<string> Describe(RaftBatch batch) =>
    [
        .. batch.Messages.OrderBy(envelope => envelope.Shard.Value).Select(envelope =>
        {
            var output = new System.Buffers.ArrayBufferWriter<byte>();
            RaftMessageCodec.Encode(envelope.Shard, envelope.Message, output);
            return Convert.ToHexString(output.WrittenSpan);
        }),
    ];
}
