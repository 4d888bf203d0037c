using System.Diagnostics;
using System.Threading.Channels;
using Akka.Actor;
using Akka.Configuration;
using AkkaKv.Raft;
using AkkaKv.Sharding.Hosting;
using AkkaKv.Sharding.Remoting;
using Microsoft.Extensions.Logging.Abstractions;

namespace AkkaKv.Sharding.Tests.Remoting;

/// <summary>
/// Test-mode link faults on Akka.Remote (<see cref="AkkaLinkFaults"/>): this test kit's actor system is node 1 and a
/// second one on loopback is node 2, both with the throttler and failure-injector adapters. A blackhole (both ways,
/// or receive only) stops messages to and from the peer and pass-through restores them; a 64 KiB/s throttle lets
/// through no more of a 1 MiB transfer than the rate allows, yet loses none of it; a Raft send delay holds every
/// batch at least that long and keeps their order, even when the delay shrinks; invalid faults are refused, and so is
/// fault injection on a system without the throttler adapter.
/// </summary>
public sealed class AkkaLinkFaultsTests : Akka.TestKit.Xunit2.TestKit
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(10);
    private static readonly NodeId Self = new(1);
    private static readonly NodeId Peer = new(2);
    private static readonly Config RemoteConfig = LoopbackRemoting.Config();
    private static readonly Config FaultConfig = ConfigurationFactory.ParseString("""akka.remote.dot-netty.tcp.applied-adapters = ["trttl", "gremlin"]""")
        .WithFallback(RemoteConfig);

    private readonly ActorSystem _peer = ActorSystem.Create("akkakv", FaultConfig);
    private readonly AkkaRaftTransport _transport;
    private readonly AkkaLinkFaults _faults;

    public AkkaLinkFaultsTests(ITestOutputHelper output) : base(FaultConfig, "akkakv", output)
    {
        _transport = new AkkaRaftTransport(Sys, Self, maxBatchBytes: 1024);
        _transport.SetPeerAddress(Peer, PeerAddress);
        _faults = new AkkaLinkFaults(Sys, _transport, NullLogger.Instance);
    }

    private Address PeerAddress => ((ExtendedActorSystem)_peer).Provider.DefaultAddress;

    protected override void AfterAll()
    {
        _faults.Dispose();
        _peer.Terminate().Wait(Deadline);
        base.AfterAll();
    }

    /// <summary>Replies with what it got and shows it to a probe on its own system.</summary>
    private sealed class Echo : ReceiveActor
    {
        public Echo(IActorRef seen) => Receive<byte[]>(message =>
        {
            seen.Tell(message);
            Sender.Tell(message);
        });
    }

    /// <summary>Writes what arrives, with the time it arrived, to a channel.</summary>
    private sealed class Sink<T> : ReceiveActor
    {
        public Sink(ChannelWriter<(T Message, TimeSpan ArrivedAt)> arrived, Stopwatch clock) => Receive<T>(message => arrived.TryWrite((message, clock.Elapsed)));
    }

    private IActorRef RemoteEcho(Akka.TestKit.TestProbe seen)
    {
        _peer.ActorOf(Props.Create(() => new Echo(seen.Ref)), "echo");
        return Sys.ActorSelection($"{PeerAddress}/user/echo").ResolveOne(Deadline).GetAwaiter().GetResult();
    }

    private static byte[] Ping(byte number) => [number];

    [Fact]
    public async Task A_blackhole_both_ways_stops_messages_and_pass_through_restores_them()
    {
        var seen = CreateTestProbe(_peer);
        var echo = RemoteEcho(seen);
        var replies = CreateTestProbe();
        echo.Tell(Ping(1), replies.Ref);
        Assert.Equal(Ping(1), replies.ExpectMsg<byte[]>(Deadline));
        seen.ExpectMsg<byte[]>(Deadline);

        await _faults.Set(Peer, PeerAddress, new LinkFault(FaultMode.Blackhole, FaultDirection.Both));
        Assert.Equal(FaultMode.Blackhole, _faults.Current[Peer].Mode);
        echo.Tell(Ping(2), replies.Ref);
        seen.ExpectNoMsg(TimeSpan.FromMilliseconds(500)); // not sent: the peer never sees it
        replies.ExpectNoMsg(TimeSpan.FromMilliseconds(100));

        await _faults.Set(Peer, PeerAddress, LinkFault.None);
        Assert.Empty(_faults.Current);
        echo.Tell(Ping(3), replies.Ref);
        Assert.Equal(Ping(3), seen.ExpectMsg<byte[]>(Deadline)); // the blackholed ping was dropped, not held
        Assert.Equal(Ping(3), replies.ExpectMsg<byte[]>(Deadline));
    }

    [Fact]
    public async Task A_receive_only_blackhole_drops_the_peers_replies_but_not_what_this_node_sends()
    {
        var seen = CreateTestProbe(_peer);
        var echo = RemoteEcho(seen);
        var replies = CreateTestProbe();
        echo.Tell(Ping(1), replies.Ref);
        replies.ExpectMsg<byte[]>(Deadline);
        seen.ExpectMsg<byte[]>(Deadline);

        await _faults.Set(Peer, PeerAddress, new LinkFault(FaultMode.Blackhole, FaultDirection.Receive));
        echo.Tell(Ping(2), replies.Ref);
        Assert.Equal(Ping(2), seen.ExpectMsg<byte[]>(Deadline));
        replies.ExpectNoMsg(TimeSpan.FromMilliseconds(500));

        await _faults.Clear();
        Assert.Empty(_faults.Current);
        echo.Tell(Ping(3), replies.Ref);
        Assert.Equal(Ping(3), replies.ExpectMsg<byte[]>(Deadline));
    }

    [Fact]
    public async Task A_throttle_lets_through_no_more_than_its_rate_and_loses_nothing()
    {
        const int chunkBytes = 16 * 1024;
        const int chunks = 64; // 1 MiB
        const long bytesPerSecond = 64 * 1024;
        var clock = Stopwatch.StartNew();
        var arrived = Channel.CreateUnbounded<(byte[] Message, TimeSpan ArrivedAt)>();
        _peer.ActorOf(Props.Create(() => new Sink<byte[]>(arrived.Writer, clock)), "sink");
        var sink = await Sys.ActorSelection($"{PeerAddress}/user/sink").ResolveOne(Deadline);
        byte[] Chunk(int round, int index)
        {
            var chunk = new byte[chunkBytes];
            BitConverter.TryWriteBytes(chunk, round * chunks + index);
            return chunk;
        }
        using var timeout = new CancellationTokenSource(Deadline * 2);
        async Task<List<int>> Receive(int count)
        {
            var indexes = new List<int>();
            while (indexes.Count < count)
            {
                indexes.Add(BitConverter.ToInt32((await arrived.Reader.ReadAsync(timeout.Token)).Message));
            }
            return indexes;
        }

        // Unthrottled, the whole megabyte arrives at once.
        var started = clock.Elapsed;
        for (var index = 0; index < chunks; index++)
        {
            sink.Tell(Chunk(0, index));
        }
        Assert.Equal(Enumerable.Range(0, chunks), await Receive(chunks));
        Output?.WriteLine($"1 MiB unthrottled in {(clock.Elapsed - started).TotalMilliseconds:0} ms");

        // Throttled: the bucket starts empty when set, so by any moment at most rate × time since then has been written.
        var throttledAt = clock.Elapsed;
        await _faults.Set(Peer, PeerAddress, new LinkFault(FaultMode.Throttle, FaultDirection.Send, BytesPerSecond: bytesPerSecond));
        for (var index = 0; index < chunks; index++)
        {
            sink.Tell(Chunk(1, index));
        }
        var sample = new List<int>();
        using (var window = new CancellationTokenSource(TimeSpan.FromMilliseconds(1500)))
        {
            try
            {
                while (true)
                {
                    sample.Add(BitConverter.ToInt32((await arrived.Reader.ReadAsync(window.Token)).Message));
                }
            }
            catch (OperationCanceledException) when (window.IsCancellationRequested)
            {
                Output?.WriteLine($"{sample.Count} chunks in the throttled window"); // the window is over: what arrived is the sample
            }
        }
        var throttledFor = clock.Elapsed - throttledAt;
        var allowedBytes = bytesPerSecond * throttledFor.TotalSeconds + chunkBytes; // one chunk for the clock's rounding
        Assert.NotEmpty(sample); // slowed, not stopped
        Assert.True(sample.Count * (double)chunkBytes <= allowedBytes, $"{sample.Count} chunks of {chunkBytes} B in {throttledFor.TotalMilliseconds:0} ms at {bytesPerSecond} B/s");

        // Lifted: the rest follows, nothing lost, in order.
        await _faults.Set(Peer, PeerAddress, LinkFault.None);
        List<int> throttled = [.. sample, .. await Receive(chunks - sample.Count)];
        Assert.Equal(Enumerable.Range(chunks, chunks), throttled);
    }

    [Fact]
    public async Task A_raft_send_delay_holds_each_batch_at_least_that_long_and_keeps_their_order()
    {
        var clock = Stopwatch.StartNew();
        var arrived = Channel.CreateUnbounded<(RaftBatch Message, TimeSpan ArrivedAt)>();
        _peer.ActorOf(Props.Create(() => new Sink<RaftBatch>(arrived.Writer, clock)), ReplicaManagerHost.Name);
        var sent = new Dictionary<ulong, TimeSpan>();
        void Send(ulong number)
        {
            // A 1000-byte entry fills the 1 KiB batch budget: each message is a batch of its own.
            var append = new AppendEntries(Self, Peer, new Term(1), new LogIndex(number), new Term(1),
                [new RaftEntry(new LogIndex(number + 1), new Term(1), RaftEntryKind.Normal, new byte[1000])], LogIndex.Zero);
            sent[number] = clock.Elapsed;
            _transport.Send(new ShardId(7), append);
        }
        using var timeout = new CancellationTokenSource(Deadline);
        async Task<List<(ulong Number, TimeSpan ArrivedAt)>> Receive(int count)
        {
            var messages = new List<(ulong, TimeSpan)>();
            while (messages.Count < count)
            {
                var (batch, at) = await arrived.Reader.ReadAsync(timeout.Token);
                messages.AddRange(batch.Messages.Select(envelope => (((AppendEntries)envelope.Message).PrevIndex.Value, at)));
            }
            return messages;
        }
        Send(0);
        await Receive(1); // associated: the delays below measure holding, not connecting

        var longDelay = TimeSpan.FromMilliseconds(400);
        var shortDelay = TimeSpan.FromMilliseconds(50);
        var epsilon = TimeSpan.FromMilliseconds(5);
        await _faults.Set(Peer, PeerAddress, new LinkFault(FaultMode.Delay, FaultDirection.Send, longDelay));
        Send(1);
        Send(2);
        Send(3);
        await _faults.Set(Peer, PeerAddress, new LinkFault(FaultMode.Delay, FaultDirection.Send, shortDelay));
        Send(4);
        Send(5);
        Send(6);
        var delayed = await Receive(6);
        Assert.Equal([1UL, 2, 3, 4, 5, 6], delayed.Select(message => message.Number)); // 4-6 were due first, yet wait their turn
        foreach (var (number, arrivedAt) in delayed)
        {
            var held = arrivedAt - sent[number];
            Assert.True(held >= (number <= 3 ? longDelay : shortDelay) - epsilon, $"message {number} arrived {held.TotalMilliseconds:0.0} ms after it was sent");
        }

        await _faults.Set(Peer, PeerAddress, LinkFault.None);
        Assert.Empty(_faults.Current);
        Send(7);
        Assert.Equal(7UL, Assert.Single(await Receive(1)).Number);
        Assert.Equal((8L, 0L), (_transport.Counters.MessagesSent, _transport.Counters.MessagesDropped));
    }

    [Theory]
    [InlineData(FaultMode.Delay, FaultDirection.Both, 100, 0, "direction send")]
    [InlineData(FaultMode.Delay, FaultDirection.Receive, 100, 0, "direction send")]
    [InlineData(FaultMode.Delay, FaultDirection.Send, 0, 0, "positive delay")]
    [InlineData(FaultMode.Throttle, FaultDirection.Both, 0, 0, "positive rate")]
    [InlineData(FaultMode.Throttle, FaultDirection.Send, 0, -5, "positive rate")]
    [InlineData(FaultMode.Throttle, FaultDirection.Send, 0, 1L << 32, "positive rate")]
    public void An_invalid_fault_is_refused_and_changes_nothing(FaultMode mode, FaultDirection direction, int delayMs, long bytesPerSecond, string reason)
    {
        var fault = new LinkFault(mode, direction, TimeSpan.FromMilliseconds(delayMs), bytesPerSecond);
        // Refused before any work starts: the call itself throws, no task is returned.
        var error = Assert.Throws<ArgumentException>(() => { _ = _faults.Set(Peer, PeerAddress, fault); });
        Assert.Contains(reason, error.Message, StringComparison.Ordinal);
        Assert.Empty(_faults.Current);
    }

    [Fact]
    public async Task A_system_without_the_throttler_adapter_cannot_inject_faults()
    {
        // Akka's base transport acknowledges any management command, so a missing adapter must be caught up front.
        var plain = ActorSystem.Create("akkakv", RemoteConfig);
        try
        {
            var error = Assert.Throws<ArgumentException>(() => new AkkaLinkFaults(plain, new AkkaRaftTransport(plain, Self), NullLogger.Instance));
            Assert.Contains("applied-adapters", error.Message, StringComparison.Ordinal);
        }
        finally
        {
            await plain.Terminate().WaitAsync(Deadline);
        }
    }
}
