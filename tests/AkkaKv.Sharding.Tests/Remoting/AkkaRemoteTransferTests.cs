using System.Threading.Channels;
using Akka.Actor;
using Akka.Configuration;
using AkkaKv.Sharding.Remoting;

namespace AkkaKv.Sharding.Tests.Remoting;

/// <summary>
/// The sharding layer's wire forms on Akka.Remote itself: two actor systems on loopback (DotNetty TCP), a Raft batch
/// and shard protocol messages sent by actor selection from one to an actor on the other arrive intact — the
/// serializer bindings work end to end, not only in-process.
/// </summary>
public sealed class AkkaRemoteTransferTests : IDisposable
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(20);
    private readonly ActorSystem _sender = Start("sender");
    private readonly ActorSystem _receiver = Start("receiver");

    private static ActorSystem Start(string name) => ActorSystem.Create("akkakv", ConfigurationFactory.ParseString($$"""
        akka.actor.provider = remote
        akka.remote.dot-netty.tcp { hostname = 127.0.0.1, port = 0 }
        akka.loglevel = WARNING
        akkakv-test.name = {{name}}
        """).WithFallback(ConfigurationFactory.ParseString(ShardingSerialization.Hocon)));

    public void Dispose()
    {
        Task.WaitAll([_sender.Terminate(), _receiver.Terminate()], TimeSpan.FromSeconds(20));
    }

    private sealed class Sink : ReceiveActor
    {
        public Sink(ChannelWriter<object> received) => ReceiveAny(message => received.TryWrite(message));
    }

    [Fact]
    public async Task A_raft_batch_and_shard_messages_cross_from_one_actor_system_to_another()
    {
        var received = Channel.CreateUnbounded<object>();
        _receiver.ActorOf(Props.Create(() => new Sink(received.Writer)), "sink");
        var address = ((ExtendedActorSystem)_receiver).Provider.DefaultAddress;
        Assert.NotEqual(((ExtendedActorSystem)_sender).Provider.DefaultAddress, address);
        var sink = _sender.ActorSelection($"{address}/user/sink");
        var batch = AkkaSerializationTests.SampleBatch();
        var read = new ReadRequest("k/é", ReadConsistency.Serializable) { MinEpoch = new LogIndex(3) };
        sink.Tell(batch);
        sink.Tell(read);
        sink.Tell(new ShardUnavailable("no quorum"));

        using var timeout = new CancellationTokenSource(Deadline);
        var arrived = new List<object>();
        while (arrived.Count < 3)
        {
            arrived.Add(await received.Reader.ReadAsync(timeout.Token));
        }
        Assert.Equal(AkkaSerializationTests.Describe(batch), AkkaSerializationTests.Describe(Assert.IsType<RaftBatch>(arrived[0])));
        Assert.Equal(read, arrived[1]);
        Assert.Equal(new ShardUnavailable("no quorum"), arrived[2]);
    }
}
