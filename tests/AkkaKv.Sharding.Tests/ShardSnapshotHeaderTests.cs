using AkkaKv.Raft;

namespace AkkaKv.Sharding.Tests;

/// <summary>
/// The membership header of shard snapshots reads back what was written, recognises header-less (older) snapshots,
/// and refuses damaged or hostile headers with a clear error instead of allocating or crashing. Method: byte streams.
/// </summary>
public sealed class ShardSnapshotHeaderTests
{
    private static MemoryStream Written(ConfState conf)
    {
        var stream = new MemoryStream();
        ShardSnapshotHeader.Write(stream, conf);
        stream.Position = 0;
        return stream;
    }

    [Fact]
    public void A_header_reads_back_the_membership_it_was_written_with()
    {
        var conf = new ConfState([new NodeId(1), new NodeId(2)], [new NodeId(7)]);
        Assert.Equal(conf, ShardSnapshotHeader.TryRead(Written(conf)));
    }

    [Fact]
    public void A_header_keeps_the_configuration_epoch_and_a_version_1_header_reads_as_epoch_0()
    {
        var conf = new ConfState([new NodeId(1), new NodeId(2)]) { Index = new LogIndex(4711) };
        Assert.Equal(new LogIndex(4711), ShardSnapshotHeader.TryRead(Written(conf))!.Index);
        // Version 1 (before epochs): magic, version, voters, learners.
        var v1 = new MemoryStream();
        v1.Write(BitConverter.GetBytes(0x534B_5241u));
        v1.WriteByte(1);
        v1.Write(BitConverter.GetBytes(1u));
        v1.Write(BitConverter.GetBytes(3UL));
        v1.Write(BitConverter.GetBytes(0u));
        v1.Position = 0;
        var read = ShardSnapshotHeader.TryRead(v1)!;
        Assert.Equal(new ConfState([new NodeId(3)]), read);
        Assert.Equal(LogIndex.Zero, read.Index);
    }

    [Fact]
    public void A_snapshot_without_a_header_is_recognised_as_such()
    {
        Assert.Null(ShardSnapshotHeader.TryRead(new MemoryStream([1, 2, 3, 4, 5, 6])));
        Assert.Null(ShardSnapshotHeader.TryRead(new MemoryStream([])));
    }

    [Fact]
    public void A_truncated_header_is_refused()
    {
        var bytes = Written(new ConfState([new NodeId(1), new NodeId(2)])).ToArray();
        for (var cut = 5; cut < bytes.Length; cut++)
        {
            Assert.Throws<InvalidDataException>(() => ShardSnapshotHeader.TryRead(new MemoryStream(bytes[..cut])));
        }
    }

    [Fact]
    public void A_header_claiming_millions_of_members_or_an_unknown_version_is_refused()
    {
        var bytes = Written(new ConfState([new NodeId(1)])).ToArray();
        var huge = (byte[])bytes.Clone();
        BitConverter.TryWriteBytes(huge.AsSpan(5), uint.MaxValue);
        Assert.Contains("limit", Assert.Throws<InvalidDataException>(() => ShardSnapshotHeader.TryRead(new MemoryStream(huge))).Message, StringComparison.Ordinal);
        var version = (byte[])bytes.Clone();
        version[4] = 99;
        Assert.Contains("version", Assert.Throws<InvalidDataException>(() => ShardSnapshotHeader.TryRead(new MemoryStream(version))).Message, StringComparison.Ordinal);
    }
}
