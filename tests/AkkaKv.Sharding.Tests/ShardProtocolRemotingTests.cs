using System.Buffers;
using System.Text;
using AkkaKv.Raft;
using AkkaKv.Sharding.Remoting;
using AkkaKv.Store;

namespace AkkaKv.Sharding.Tests;

/// <summary>
/// The shard protocol's binary forms: every request and reply round-trips through its serializer, every truncation
/// and a trailing byte are refused with <see cref="FormatException"/>. (A replica answering through a remote
/// reference is <see cref="Remoting.AkkaRemoteReplicaTests"/>, over Akka.Remote.)
/// </summary>
public sealed class ShardProtocolRemotingTests
{
    private static readonly RemoteSerializers Serializers = new RemoteSerializers().AddShardProtocol();

    public static TheoryData<int> Indexes() => [.. Enumerable.Range(0, Samples().Count)];

    internal static List<object> Samples() =>
    [
        new WriteRequest(new KvPut("k/1", Encoding.UTF8.GetBytes("value"), new KvCondition.VersionIs(new LogIndex(7)), "idem-1", 1234)),
        new WriteRequest(new KvDelete("k/2", KvCondition.MustNotExist)),
        new ReadRequest("k/é", ReadConsistency.Serializable) { MinEpoch = new LogIndex(77) },
        new ScanRequest("k/", 100),
        new ScanRequest("k/", 5, ReadConsistency.Serializable) { MinEpoch = new LogIndex(12) },
        new WriteReply(new KvResult.Written(new LogIndex(42))),
        new WriteReply(new KvResult.Deleted()),
        new WriteReply(new KvResult.NotFound()),
        new WriteReply(new KvResult.ConditionFailed(null)),
        new WriteReply(new KvResult.ConditionFailed(new LogIndex(9))),
        new ReadReply(new KvValue(new byte[] { 0, 1, 255 }, new LogIndex(5))),
        new ReadReply(null),
        new ScanReply([new KeyVersion("a", new LogIndex(1)), new KeyVersion("b", new LogIndex(2))]),
        new NotLeader(new NodeId(77)),
        new ShardUnavailable("no quorum"),
        new OutcomeUnknown("timed out"),
        new StartReplica(new ShardId(4)),
        new ReplicaStarted(new ShardId(4)),
        new StopReplica(new ShardId(5)),
        new ReplicaStopped(new ShardId(5)),
        new ReplicaNotStarted(new ShardId(6), "this node's disk belongs to another cluster"),
        new ReplicaNotStopped(new ShardId(7), "deleting its data failed: disk full"),
        new ChangeMembership(new ConfChange(ConfChangeKind.AddLearner, new NodeId(9))),
        new TransferLeadership(new NodeId(3)),
        new AdminAccepted("membership changed"),
        GetShardStatus.Instance,
        new ShardStatus(new ShardId(2), new NodeId(1), RaftRole.Leader, new Term(4), new NodeId(1), new LogIndex(40), new LogIndex(39), new LogIndex(20), 12, 3,
            new ConfState([new NodeId(1), new NodeId(2)], [new NodeId(3)]) { Index = new LogIndex(9) })
        {
            Replicated = new Dictionary<NodeId, LogIndex> { [new NodeId(1)] = new(40), [new NodeId(3)] = new(17) },
            Quiescent = true,
        },
        new Placement.GetPlacementEvents(50, Forwarded: true),
        new Placement.PlacementEventList(new NodeId(2),
        [
            new Placement.PlacementEventRecord(DateTimeOffset.FromUnixTimeMilliseconds(1_795_000_000_000), "PlacementStepCompleted", "add learner n4 to s3; configuration 12"),
            new Placement.PlacementEventRecord(DateTimeOffset.FromUnixTimeMilliseconds(1_795_000_000_500), "PlacementStepFailed", "é"),
        ]),
    ];

    private static byte[] Encode(object message, out IRemoteSerializer serializer)
    {
        Assert.True(Serializers.TryGet(message.GetType(), out serializer));
        var output = new ArrayBufferWriter<byte>();
        serializer.Write(message, output);
        return output.WrittenSpan.ToArray();
    }

    [Theory]
    [MemberData(nameof(Indexes))]
    public void Every_message_round_trips_and_every_truncation_is_refused(int index)
    {
        var message = Samples()[index];
        var bytes = Encode(message, out var serializer);
        var decoded = serializer.Read(bytes);
        switch (message)
        {
            case WriteRequest write:
                var command = Assert.IsType<WriteRequest>(decoded).Command;
                Assert.Equal(KvCommandCodec.Encode(write.Command), KvCommandCodec.Encode(command));
                break;
            case ReadReply { Value: { } value }:
                var read = Assert.IsType<ReadReply>(decoded).Value!;
                Assert.Equal(value.Value.ToArray(), read.Value.ToArray());
                Assert.Equal(value.Version, read.Version);
                break;
            case ScanReply scan:
                Assert.Equal(scan.Keys, Assert.IsType<ScanReply>(decoded).Keys);
                break;
            case Placement.PlacementEventList list:
                var decodedList = Assert.IsType<Placement.PlacementEventList>(decoded);
                Assert.Equal(list.Coordinator, decodedList.Coordinator);
                Assert.Equal(list.Events, decodedList.Events);
                break;
            case ShardStatus status:
                var decodedStatus = Assert.IsType<ShardStatus>(decoded);
                Assert.Equal(status with { Replicated = decodedStatus.Replicated }, decodedStatus);
                Assert.Equal(status.Replicated.OrderBy(pair => pair.Key), decodedStatus.Replicated.OrderBy(pair => pair.Key));
                Assert.Equal(status.Conf.Index, decodedStatus.Conf.Index);
                Assert.True(decodedStatus.HasCaughtUp(new NodeId(3), 23));
                break;
            default:
                Assert.Equal(message, decoded);
                break;
        }
        for (var cut = 0; cut < bytes.Length; cut++)
        {
            Assert.Throws<FormatException>(() => serializer.Read(bytes.AsSpan(0, cut)));
        }
        Assert.Throws<FormatException>(() => serializer.Read([.. bytes, 0]));
    }

    [Fact]
    public void A_placement_event_list_claiming_more_events_than_it_holds_is_refused()
    {
        var bytes = Encode(new Placement.PlacementEventList(new NodeId(1), []), out var serializer);
        bytes[9] = 0xFF; // the event count (after the version byte and the coordinator): 255 events in no bytes
        Assert.Throws<FormatException>(() => serializer.Read(bytes));
    }
}
