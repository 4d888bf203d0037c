using System.Buffers;
using AkkaKv.Raft;
using AkkaKv.Wire;
using AkkaKv.Sharding.Remoting;

namespace AkkaKv.Sharding.Tests.Remoting;

/// <summary>
/// The wire form of Raft messages: every message type round-trips exactly; truncated, corrupted and hostile bytes
/// are refused with <see cref="WireFormatException"/> (never another exception, never a huge allocation); what
/// the core assumes (contiguous entries, known kinds, sane sizes) is checked at the boundary. Method: seeded
/// random messages, every truncation point, and a seeded byte-flipping fuzzer.
/// </summary>
public sealed class RaftMessageCodecTests
{
    private static readonly NodeId A = new(1);
    private static readonly NodeId B = new(2);

    public static IEnumerable<RaftMessage> Samples()
    {
        var conf = new ConfState([A, B, new NodeId(3)], [new NodeId(9)]) { Index = new LogIndex(90) };
        yield return new VoteRequest(A, B, new Term(7), new LogIndex(41), new Term(6), PreVote: true, LeaderTransfer: false);
        yield return new VoteRequest(A, B, new Term(7), new LogIndex(41), new Term(6), PreVote: false, LeaderTransfer: true);
        yield return new VoteResponse(B, A, new Term(7), PreVote: true, Granted: true);
        yield return new AppendEntries(A, B, new Term(5), new LogIndex(10), new Term(4),
            [
                new RaftEntry(new LogIndex(11), new Term(4), RaftEntryKind.Normal, new byte[] { 1, 2, 3 }),
                new RaftEntry(new LogIndex(12), new Term(5), RaftEntryKind.Normal, ReadOnlyMemory<byte>.Empty),
                new RaftEntry(new LogIndex(13), new Term(5), RaftEntryKind.ConfChange, new ConfChange(ConfChangeKind.AddLearner, new NodeId(4)).Encode()),
            ],
            new LogIndex(11));
        yield return new AppendEntries(A, B, new Term(5), new LogIndex(10), new Term(4), [], new LogIndex(10));
        yield return new AppendResponse(B, A, new Term(5), new LogIndex(13), Rejected: true, new LogIndex(9), new Term(3));
        yield return new Heartbeat(A, B, new Term(5), new LogIndex(12), ReadContext: 99);
        yield return new Heartbeat(A, B, new Term(5), new LogIndex(12), ReadContext: 0) { Quiesce = true };
        yield return new HeartbeatResponse(B, A, new Term(5), ReadContext: 99);
        yield return new InstallSnapshot(A, B, new Term(5), new RaftSnapshotMeta(new LogIndex(100), new Term(4), conf, 10), 4, new byte[] { 9, 8, 7 }, Done: false);
        yield return new SnapshotChunkResponse(B, A, new Term(5), new LogIndex(100), 7);
        yield return new TimeoutNow(A, B, new Term(5));
        yield return new ReadIndexRequest(B, A, new Term(5), 12345);
        yield return new ReadIndexResponse(A, B, new Term(5), 12345, new LogIndex(77));
    }

    public static TheoryData<int> SampleIndexes() => [.. Enumerable.Range(0, Samples().Count())];

    private static byte[] Encode(RaftMessage message, uint shard = 17)
    {
        var buffer = new ArrayBufferWriter<byte>();
        RaftMessageCodec.Encode(new ShardId(shard), message, buffer);
        return buffer.WrittenSpan.ToArray();
    }

    [Theory]
    [MemberData(nameof(SampleIndexes))]
    public void Every_message_type_round_trips(int sample)
    {
        var message = Samples().ElementAt(sample);
        var (shard, decoded) = RaftMessageCodec.Decode(Encode(message));
        Assert.Equal(new ShardId(17), shard);
        Assert.Equal(Describe(message), Describe(decoded));
    }

    [Theory]
    [MemberData(nameof(SampleIndexes))]
    public void Every_truncation_is_refused_with_a_protocol_error(int sample)
    {
        var bytes = Encode(Samples().ElementAt(sample));
        for (var cut = 0; cut < bytes.Length; cut++)
        {
            Assert.Throws<WireFormatException>(() => RaftMessageCodec.Decode(bytes.AsSpan(0, cut)));
        }
        Assert.Throws<WireFormatException>(() => RaftMessageCodec.Decode([.. bytes, 0])); // trailing garbage
    }

    [Fact]
    public void Random_corruption_yields_a_protocol_error_or_a_valid_message_never_a_crash()
    {
        var random = new Random(20261122);
        var samples = Samples().Select(message => Encode(message)).ToList();
        for (var round = 0; round < 20_000; round++)
        {
            var bytes = (byte[])samples[random.Next(samples.Count)].Clone();
            for (var flips = 1 + random.Next(4); flips > 0; flips--)
            {
                bytes[random.Next(bytes.Length)] = (byte)random.Next(256);
            }
            try
            {
                RaftMessageCodec.Decode(bytes);
            }
            catch (WireFormatException)
            {
                // refused: fine
            }
        }
        for (var round = 0; round < 5_000; round++)
        {
            var garbage = new byte[random.Next(64)];
            random.NextBytes(garbage);
            try
            {
                RaftMessageCodec.Decode(garbage);
            }
            catch (WireFormatException)
            {
                // refused: fine
            }
        }
    }

    [Fact]
    public void Hostile_counts_and_lengths_are_refused_before_allocating()
    {
        var append = Encode(new AppendEntries(A, B, new Term(5), new LogIndex(10), new Term(4), [], new LogIndex(10)));
        // The entry count sits right after version(1) shard(4) type(1) from/to/term(24) prev index/term and commit(24).
        var countAt = 1 + 4 + 1 + 24 + 24;
        BitConverter.TryWriteBytes(append.AsSpan(countAt), uint.MaxValue);
        Assert.Contains("entry count", Assert.Throws<WireFormatException>(() => RaftMessageCodec.Decode(append)).Message, StringComparison.Ordinal);

        var withEntry = Encode(new AppendEntries(A, B, new Term(5), new LogIndex(10), new Term(4),
            [new RaftEntry(new LogIndex(11), new Term(5), RaftEntryKind.Normal, new byte[] { 1 })], new LogIndex(10)));
        var lengthAt = countAt + 4 + 8 + 1;
        BitConverter.TryWriteBytes(withEntry.AsSpan(lengthAt), int.MaxValue);
        Assert.Throws<WireFormatException>(() => RaftMessageCodec.Decode(withEntry, maxDataBytes: 1024));
    }

    [Fact]
    public void Entries_from_a_future_term_unknown_kinds_and_bad_membership_entries_are_refused()
    {
        var future = Encode(new AppendEntries(A, B, new Term(5), new LogIndex(10), new Term(4),
            [new RaftEntry(new LogIndex(11), new Term(6), RaftEntryKind.Normal, new byte[] { 1 })], new LogIndex(10)));
        Assert.Contains("newer", Assert.Throws<WireFormatException>(() => RaftMessageCodec.Decode(future)).Message, StringComparison.Ordinal);

        var badConf = Encode(new AppendEntries(A, B, new Term(5), new LogIndex(10), new Term(4),
            [new RaftEntry(new LogIndex(11), new Term(5), RaftEntryKind.ConfChange, new byte[] { 1, 2 })], new LogIndex(10)));
        Assert.Throws<WireFormatException>(() => RaftMessageCodec.Decode(badConf));

        var version = Encode(new TimeoutNow(A, B, new Term(1)));
        version[0] = 3;
        Assert.Contains("version", Assert.Throws<WireFormatException>(() => RaftMessageCodec.Decode(version)).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_snapshot_whose_configuration_epoch_is_past_its_index_is_refused()
    {
        var meta = new RaftSnapshotMeta(new LogIndex(100), new Term(4), new ConfState([A]) { Index = new LogIndex(101) }, 10);
        var bytes = Encode(new InstallSnapshot(A, B, new Term(5), meta, 0, new byte[] { 1 }, Done: true));
        Assert.Contains("epoch", Assert.Throws<WireFormatException>(() => RaftMessageCodec.Decode(bytes)).Message, StringComparison.Ordinal);
    }

    /// <summary>A structural description (records holding lists and memory do not compare by content).</summary>
    private static string Describe(RaftMessage message) => message switch
    {
        AppendEntries append => $"{append with { Entries = [] }} [{string.Join(",", append.Entries.Select(e => $"{e.Index}/{e.Term}/{e.Kind}/{Convert.ToHexString(e.Data.Span)}"))}]",
        InstallSnapshot chunk => $"{chunk with { Data = default }} {chunk.Snapshot.Conf} {Convert.ToHexString(chunk.Data.Span)}",
        _ => message.ToString(),
    };
}
