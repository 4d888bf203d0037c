using System.Buffers;
using System.Runtime.Serialization;
using System.Text;
using Akka.Configuration;
using AkkaKv.Sharding.Remoting;
using AkkaKv.Store;
using AkkaSystem = Akka.Actor.ActorSystem;

namespace AkkaKv.Sharding.Tests.Remoting;

/// <summary>
/// The wire forms of batched client requests and replies between nodes (<see cref="ShardTrafficCodec"/>): both are
/// bound to AkkaKv's serializer and round-trip every request and reply the shard protocol has; a request slot holding
/// a reply (or the reverse), an unknown message id, other versions, counts larger than the bytes, every truncation, a
/// trailing byte and random damage are refused as format errors, never another exception; a message without a wire form
/// cannot be put in a batch.
/// </summary>
public sealed class ShardTrafficCodecTests : IDisposable
{
    private static readonly NodeId A = new(1);
    private static readonly NodeId B = new(2);
    private readonly AkkaSystem _system = AkkaSystem.Create("traffic", ConfigurationFactory.ParseString(ShardingSerialization.Hocon));

    public void Dispose() => _system.Terminate().Wait(TimeSpan.FromSeconds(10));

    private static ShardRequestBatch SampleRequests()
    {
        var requests = ShardProtocolRemotingTests.Samples().OfType<ShardRequest>().ToList();
        Assert.NotEmpty(requests);
        return new ShardRequestBatch(A, B, [.. requests.Select((request, i) => new ForwardedShardRequest(1000 + i, new ShardId((uint)i), request))]);
    }

    private static ShardReplyBatch SampleReplies()
    {
        var replies = ShardProtocolRemotingTests.Samples().OfType<ShardReply>().ToList();
        Assert.NotEmpty(replies);
        return new ShardReplyBatch([.. replies.Select((reply, i) => new ForwardedShardReply(-5 + i, reply))]);
    }

    private static byte[] Bytes(ShardRequestBatch batch)
    {
        var output = new ArrayBufferWriter<byte>();
        ShardTrafficCodec.Encode(batch, output);
        return output.WrittenSpan.ToArray();
    }

    private static byte[] Bytes(ShardReplyBatch batch)
    {
        var output = new ArrayBufferWriter<byte>();
        ShardTrafficCodec.Encode(batch, output);
        return output.WrittenSpan.ToArray();
    }

    private ShardTrafficSerializer SerializerFor(object message) =>
        Assert.IsType<ShardTrafficSerializer>(_system.Serialization.FindSerializerFor(message));

    [Fact]
    public void Every_request_and_reply_round_trips_in_a_batch_through_the_bound_serializer()
    {
        foreach (object batch in new object[] { SampleRequests(), SampleReplies() })
        {
            var serializer = SerializerFor(batch);
            var bytes = serializer.ToBinary(batch);
            var decoded = serializer.FromBinary(bytes, serializer.Manifest(batch));
            Assert.IsType(batch.GetType(), decoded);
            Assert.Equal(bytes, serializer.ToBinary(decoded)); // every id, shard and field survived
        }
        var requests = ShardTrafficCodec.DecodeRequests(Bytes(SampleRequests()));
        Assert.Equal((A, B), (requests.From, requests.To));
        Assert.Equal(SampleRequests().Requests.Select(request => (request.Id, request.Shard, request.Request.GetType())),
            requests.Requests.Select(request => (request.Id, request.Shard, request.Request.GetType())));
        Assert.Equal(SampleReplies().Replies.Select(reply => reply.Id), ShardTrafficCodec.DecodeReplies(Bytes(SampleReplies())).Replies.Select(reply => reply.Id));
    }

    [Fact]
    public void Empty_batches_round_trip()
    {
        Assert.Empty(ShardTrafficCodec.DecodeRequests(Bytes(new ShardRequestBatch(A, B, []))).Requests);
        Assert.Empty(ShardTrafficCodec.DecodeReplies(Bytes(new ShardReplyBatch([]))).Replies);
    }

    [Fact]
    public void A_reply_in_a_request_slot_and_a_request_in_a_reply_slot_are_refused()
    {
        // Same layout after the header: id, (shard), message id, message. Forge each by splicing the other's message in.
        var read = new ReadRequest("k");
        var requestBytes = Bytes(new ShardRequestBatch(A, B, [new ForwardedShardRequest(1, new ShardId(1), read)]));
        var replyBytes = Bytes(new ShardReplyBatch([new ForwardedShardReply(1, new ShardUnavailable("x"))]));
        const int requestHeader = 1 + 8 + 8 + 4 + 8 + 4;
        const int replyHeader = 1 + 4 + 8;
        var forgedRequest = requestBytes[..requestHeader].Concat(replyBytes[replyHeader..]).ToArray();
        var forgedReply = replyBytes[..replyHeader].Concat(requestBytes[requestHeader..]).ToArray();
        Assert.Contains("ShardUnavailable in a request slot", Assert.Throws<FormatException>(() => ShardTrafficCodec.DecodeRequests(forgedRequest)).Message, StringComparison.Ordinal);
        Assert.Contains("ReadRequest in a reply slot", Assert.Throws<FormatException>(() => ShardTrafficCodec.DecodeReplies(forgedReply)).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Unknown_message_ids_versions_node_ids_and_overstated_counts_are_refused_with_the_reason()
    {
        var bytes = Bytes(new ShardRequestBatch(A, B, [new ForwardedShardRequest(1, new ShardId(1), new ReadRequest("k"))]));
        var unknownId = (byte[])bytes.Clone();
        BitConverter.TryWriteBytes(unknownId.AsSpan(1 + 8 + 8 + 4 + 8 + 4), 9_999u);
        Assert.Contains("unknown shard protocol message id 9999", Assert.Throws<FormatException>(() => ShardTrafficCodec.DecodeRequests(unknownId)).Message, StringComparison.Ordinal);
        var version = (byte[])bytes.Clone();
        version[0] = 2;
        Assert.Contains("version 2", Assert.Throws<FormatException>(() => ShardTrafficCodec.DecodeRequests(version)).Message, StringComparison.Ordinal);
        var noSender = (byte[])bytes.Clone();
        noSender.AsSpan(1, 8).Clear();
        Assert.Contains("real nodes", Assert.Throws<FormatException>(() => ShardTrafficCodec.DecodeRequests(noSender)).Message, StringComparison.Ordinal);
        var overstated = Bytes(new ShardReplyBatch([]));
        BitConverter.TryWriteBytes(overstated.AsSpan(1), uint.MaxValue);
        Assert.Contains("more than the batch can hold", Assert.Throws<FormatException>(() => ShardTrafficCodec.DecodeReplies(overstated)).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Every_truncation_and_a_trailing_byte_are_refused()
    {
        var requests = Bytes(SampleRequests());
        var replies = Bytes(SampleReplies());
        for (var cut = 0; cut < requests.Length; cut++)
        {
            Assert.Throws<FormatException>(() => ShardTrafficCodec.DecodeRequests(requests.AsSpan(0, cut)));
        }
        for (var cut = 0; cut < replies.Length; cut++)
        {
            Assert.Throws<FormatException>(() => ShardTrafficCodec.DecodeReplies(replies.AsSpan(0, cut)));
        }
        Assert.Throws<FormatException>(() => ShardTrafficCodec.DecodeRequests([.. requests, 0]));
        Assert.Throws<FormatException>(() => ShardTrafficCodec.DecodeReplies([.. replies, 0]));
    }

    [Fact]
    public void Random_damage_never_fails_other_than_as_a_format_error()
    {
        const int seed = 4203;
        var random = new Random(seed);
        var requests = Bytes(SampleRequests());
        var replies = Bytes(SampleReplies());
        for (var i = 0; i < 2_000; i++)
        {
            var damagedRequests = (byte[])requests.Clone();
            damagedRequests[random.Next(damagedRequests.Length)] ^= (byte)random.Next(1, 256);
            var damagedReplies = (byte[])replies.Clone();
            damagedReplies[random.Next(damagedReplies.Length)] ^= (byte)random.Next(1, 256);
            try
            {
                ShardTrafficCodec.DecodeRequests(damagedRequests); // a flipped payload byte may still be a valid batch
                ShardTrafficCodec.DecodeReplies(damagedReplies);
            }
            catch (FormatException)
            {
            }
            catch (Exception other)
            {
                Assert.Fail($"seed {seed}, case {i}: {other.GetType().Name}: {other.Message} {other.StackTrace}");
            }
        }
    }

    [Fact]
    public void A_message_without_a_wire_form_cannot_be_batched_and_an_unknown_manifest_is_named()
    {
        Assert.False(ShardTrafficCodec.CanSend(new LocalOnly()));
        Assert.True(ShardTrafficCodec.CanSend(new WriteRequest(new KvPut("k", Encoding.UTF8.GetBytes("v"), KvCondition.None))));
        Assert.Throws<ArgumentException>(() => Bytes(new ShardReplyBatch([new ForwardedShardReply(1, new LocalOnly())])));
        var serializer = SerializerFor(SampleReplies());
        Assert.Contains("'zz'", Assert.Throws<SerializationException>(() => serializer.FromBinary([1], "zz")).Message, StringComparison.Ordinal);
    }

    private sealed record LocalOnly : ShardReply;
}
