using System.Buffers;
using AkkaKv.Raft;
using AkkaKv.Wire;
using AkkaKv.Sharding.Remoting;

namespace AkkaKv.Sharding.Tests.Remoting;

/// <summary>
/// The coalesced heartbeat frame: heartbeats and answers of many shards round-trip with the connection's two ends as
/// sender and receiver; every truncation, trailing byte and hostile count is refused with
/// <see cref="WireFormatException"/> before allocating.
/// </summary>
public sealed class HeartbeatBatchCodecTests
{
    private static readonly NodeId From = new(7);
    private static readonly NodeId To = new(9);

    private static byte[] Encode(IReadOnlyCollection<(ShardId, RaftMessage)> batch)
    {
        var output = new ArrayBufferWriter<byte>();
        HeartbeatBatchCodec.Encode(batch, output);
        return output.WrittenSpan.ToArray();
    }

    private static List<(ShardId, RaftMessage)> Sample() =>
    [
        (new ShardId(0), new Heartbeat(From, To, new Term(4), new LogIndex(17), 99)),
        (new ShardId(63), new HeartbeatResponse(From, To, new Term(5), 100)),
        (new ShardId(64), new Heartbeat(From, To, new Term(4), new LogIndex(18), 0) { Quiesce = true }),
        (new ShardId(uint.MaxValue), new Heartbeat(From, To, new Term(ulong.MaxValue), new LogIndex(ulong.MaxValue), ulong.MaxValue)),
    ];

    [Fact]
    public void A_batch_round_trips()
    {
        Assert.Equal(Sample(), HeartbeatBatchCodec.Decode(Encode(Sample()), From, To));
        Assert.Empty(HeartbeatBatchCodec.Decode(Encode([]), From, To));
    }

    [Fact]
    public void Every_truncation_and_a_trailing_byte_are_refused()
    {
        var bytes = Encode(Sample());
        for (var cut = 0; cut < bytes.Length; cut++)
        {
            Assert.Throws<WireFormatException>(() => HeartbeatBatchCodec.Decode(bytes.AsSpan(0, cut), From, To));
        }
        Assert.Throws<WireFormatException>(() => HeartbeatBatchCodec.Decode([.. bytes, 0], From, To));
    }

    [Fact]
    public void A_hostile_count_an_unknown_type_and_another_version_are_refused()
    {
        var bytes = Encode(Sample());
        var hostile = bytes.ToArray();
        BitConverter.TryWriteBytes(hostile.AsSpan(1), 1_000_000_000u);
        Assert.Contains("more than the frame can hold", Assert.Throws<WireFormatException>(() => HeartbeatBatchCodec.Decode(hostile, From, To)).Message, StringComparison.Ordinal);
        var unknown = bytes.ToArray();
        unknown[5] = 4;
        Assert.Throws<WireFormatException>(() => HeartbeatBatchCodec.Decode(unknown, From, To));
        var version = bytes.ToArray();
        version[0] = 3;
        Assert.Throws<WireFormatException>(() => HeartbeatBatchCodec.Decode(version, From, To));
    }

    [Fact]
    public void Only_heartbeats_can_be_batched() =>
        Assert.Throws<ArgumentException>(() => Encode([(new ShardId(1), new VoteResponse(From, To, new Term(1), false, true))]));
}
