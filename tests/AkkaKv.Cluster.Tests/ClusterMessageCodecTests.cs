namespace AkkaKv.Cluster.Tests;

/// <summary>
/// The wire form of cluster messages: each type round-trips (a gossiped table exactly, seen set included); every
/// truncation and random corruption is refused with <see cref="FormatException"/> and nothing else; hostile counts
/// are refused before allocating. Method: a realistic table, every cut point, a seeded fuzzer.
/// </summary>
public sealed class ClusterMessageCodecTests
{
    private static NodeId N(int i) => new((ulong)i);

    private static MembershipState SampleState() =>
        MembershipState.Empty
            .Join(new Member(N(1), "node1", 11, "10.0.0.1:2551", MemberStatus.Joining, ["shard", "gateway"]))
            .Join(new Member(N(2), "node2", 12, "10.0.0.2:2551", MemberStatus.Joining, []))
            .Join(new Member(N(3), "node3", 13, "[::1]:2553", MemberStatus.Joining, ["é-role"]))
            .Advance(N(1), MemberStatus.Up)
            .Advance(N(3), MemberStatus.Leaving)
            .Observe(N(1), N(2), reachable: false)
            .SeenBy(N(1));

    public static IEnumerable<ClusterMessage> Samples()
    {
        yield return new JoinRequest(new Member(N(4), "node4", 99, "10.0.0.4:2551", MemberStatus.Joining, ["a"])) { From = N(4), FromAddress = "10.0.0.4:2551" };
        yield return new GossipEnvelope(SampleState()) { From = N(1), FromAddress = "10.0.0.1:2551" };
        yield return new HeartbeatRequest(41) { From = N(2), FromAddress = "10.0.0.2:2551" };
        yield return new HeartbeatReply(41) { From = N(3), FromAddress = "[::1]:2553" };
        yield return new JoinNotReady { From = N(2), FromAddress = "seed-2.example:2551" };
    }

    public static TheoryData<int> Indexes() => [.. Enumerable.Range(0, Samples().Count())];

    [Theory]
    [MemberData(nameof(Indexes))]
    public void Every_message_round_trips(int index)
    {
        var message = Samples().ElementAt(index);
        var decoded = ClusterMessageCodec.Decode(ClusterMessageCodec.Encode(message));
        Assert.Equal(message.From, decoded.From);
        Assert.Equal(message.FromAddress, decoded.FromAddress);
        switch (message)
        {
            case GossipEnvelope gossip:
                var state = Assert.IsType<GossipEnvelope>(decoded).State;
                Assert.True(state.SameValueAs(gossip.State));
                Assert.Equal(gossip.State.Seen, state.Seen);
                break;
            case JoinRequest join:
                Assert.Equal(join.Joining, Assert.IsType<JoinRequest>(decoded).Joining);
                break;
            default:
                Assert.Equal(message, decoded);
                break;
        }
    }

    [Theory]
    [MemberData(nameof(Indexes))]
    public void Every_truncation_and_trailing_garbage_is_refused(int index)
    {
        var bytes = ClusterMessageCodec.Encode(Samples().ElementAt(index));
        for (var cut = 0; cut < bytes.Length; cut++)
        {
            Assert.Throws<FormatException>(() => ClusterMessageCodec.Decode(bytes.AsSpan(0, cut)));
        }
        Assert.Throws<FormatException>(() => ClusterMessageCodec.Decode([.. bytes, 1]));
    }

    [Fact]
    public void Random_corruption_gives_a_format_error_or_a_valid_message_never_a_crash()
    {
        var random = new Random(5150);
        var samples = Samples().Select(ClusterMessageCodec.Encode).ToList();
        for (var round = 0; round < 20_000; round++)
        {
            var bytes = (byte[])samples[random.Next(samples.Count)].Clone();
            for (var flips = 1 + random.Next(3); flips > 0; flips--)
            {
                bytes[random.Next(bytes.Length)] = (byte)random.Next(256);
            }
            try
            {
                ClusterMessageCodec.Decode(bytes);
            }
            catch (FormatException)
            {
                // refused: fine
            }
        }
    }

    [Fact]
    public void A_gossip_claiming_millions_of_members_is_refused_before_allocating()
    {
        var bytes = ClusterMessageCodec.Encode(new GossipEnvelope(MembershipState.Empty) { From = N(1), FromAddress = "10.0.0.1:2551" });
        BitConverter.TryWriteBytes(bytes.AsSpan(1 + 1 + 8 + 2 + "10.0.0.1:2551".Length), 50_000_000u);
        Assert.Contains("more than the message can hold", Assert.Throws<FormatException>(() => ClusterMessageCodec.Decode(bytes)).Message, StringComparison.Ordinal);
    }
}
