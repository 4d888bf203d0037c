using System.Collections.Concurrent;
using System.Text;
using Akka.Actor;
using AkkaKv.Sharding.Hosting;
using AkkaKv.Store;

namespace AkkaKv.Sharding.Tests;

/// <summary>
/// The routing cache: writes and linearizable reads follow <see cref="NotLeader"/> hints to the leader and then go
/// straight there; a hint-less refusal tries the next replica; unavailability is retried a bounded number of times;
/// a write that times out is not retried (its outcome is unknown); eventual reads spread round-robin and serializable
/// reads prefer this node's replica. Method: Akka.NET replica actors with scripted answers, asked as production asks
/// (<see cref="AkkaAsk"/>), counting what reaches each.
/// </summary>
public sealed class ShardRegionTests(ITestOutputHelper output) : Akka.TestKit.Xunit2.TestKit("akka.loglevel = WARNING", output)
{
    private static readonly ShardId Shard = new(7);
    private static NodeId N(int i) => new((ulong)i);

    private sealed class ScriptedReplica(NodeId self, Func<NodeId, ShardRequest, ShardReply?> answer, ConcurrentDictionary<NodeId, int> received) : UntypedActor
    {
        protected override void OnReceive(object message)
        {
            received.AddOrUpdate(self, 1, (_, count) => count + 1);
            if (message is ShardRequest request && answer(self, request) is { } reply)
            {
                Sender.Tell(reply);
            }
        }
    }

    private sealed class Locator(Dictionary<NodeId, IActorRef> replicas, LogIndex epoch) : IShardLocator
    {
        public IReadOnlyList<NodeId> ReplicasOf(ShardId shard) => shard == Shard ? [.. replicas.Keys.Order()] : [];

        public LogIndex EpochOf(ShardId shard) => epoch;

        public Task<ShardReply?> AskAsync(ShardId shard, NodeId node, ShardRequest request, TimeSpan timeout, CancellationToken cancellationToken) =>
            AkkaAsk.AskReplicaAsync(replicas.GetValueOrDefault(node), request, timeout, cancellationToken);
    }

    private (ShardRegion Region, ConcurrentDictionary<NodeId, int> Received) Region(Func<NodeId, ShardRequest, ShardReply?> answer, ShardRegionOptions? options = null, ulong epoch = 0)
    {
        var received = new ConcurrentDictionary<NodeId, int>();
        var replicas = new Dictionary<NodeId, IActorRef>();
        for (var i = 1; i <= 3; i++)
        {
            var node = N(i);
            replicas[node] = Sys.ActorOf(Props.Create(() => new ScriptedReplica(node, answer, received)), $"replica-{Guid.NewGuid():N}");
        }
        return (new ShardRegion(new Locator(replicas, new LogIndex(epoch)), options ?? new ShardRegionOptions { LocalNode = N(2) }), received);
    }

    private static WriteRequest Put(string key) => new(new KvPut(key, Encoding.UTF8.GetBytes("v"), KvCondition.None));

    private static readonly WriteReply Written = new(new KvResult.Written(new LogIndex(9)));

    [Fact]
    public async Task A_write_follows_the_leader_hint_and_the_next_one_goes_straight_to_the_leader()
    {
        var (region, received) = Region((self, _) => self == N(3) ? Written : new NotLeader(N(3)));
        Assert.Equal(Written, await region.SendAsync(Shard, Put("a")));
        Assert.Equal(N(3), region.CachedLeader(Shard));
        Assert.Equal(Written, await region.SendAsync(Shard, Put("b")));
        Assert.Equal(1, received.GetValueOrDefault(N(1)));
        Assert.Equal(2, received.GetValueOrDefault(N(3)));
        Assert.Equal(1, region.Redirects);
    }

    [Fact]
    public async Task A_refusal_without_a_hint_tries_the_next_replica_and_unavailability_is_retried_a_bounded_number_of_times()
    {
        var (region, received) = Region((self, _) => self == N(2) ? Written : new NotLeader(NodeId.None));
        Assert.Equal(Written, await region.SendAsync(Shard, new ReadRequest("a")));
        Assert.Equal(1, received.GetValueOrDefault(N(1)));

        var (unavailable, counts) = Region((_, _) => new ShardUnavailable("electing"), new ShardRegionOptions { MaxAttempts = 4, RetryBackoff = TimeSpan.FromMilliseconds(1) });
        Assert.IsType<ShardUnavailable>(await unavailable.SendAsync(Shard, Put("a")));
        Assert.Equal(4, counts.Values.Sum());
        Assert.Equal(4, unavailable.Redirects);
    }

    [Fact]
    public async Task A_write_that_times_out_is_not_retried()
    {
        var (region, received) = Region((_, _) => null, new ShardRegionOptions { RequestTimeout = TimeSpan.FromMilliseconds(300) });
        Assert.IsType<OutcomeUnknown>(await region.SendAsync(Shard, Put("a")));
        Assert.Equal(1, received.Values.Sum());
    }

    [Fact]
    public async Task Eventual_reads_spread_over_the_replicas_and_serializable_reads_prefer_the_local_one()
    {
        var value = new ReadReply(new KvValue(new byte[] { 1 }, new LogIndex(3)));
        var (region, received) = Region((_, _) => value);
        for (var i = 0; i < 6; i++)
        {
            Assert.Equal(value, await region.SendAsync(Shard, new ReadRequest("k", ReadConsistency.Eventual)));
        }
        Assert.All([1, 2, 3], i => Assert.Equal(2, received.GetValueOrDefault(N(i))));
        received.Clear();
        for (var i = 0; i < 3; i++)
        {
            await region.SendAsync(Shard, new ReadRequest("k", ReadConsistency.Serializable));
        }
        Assert.Equal(3, received.GetValueOrDefault(N(2)));
    }

    [Fact]
    public async Task Relaxed_reads_carry_the_configuration_epoch_and_a_replica_behind_it_is_passed_over()
    {
        var value = new ReadReply(new KvValue(new byte[] { 1 }, new LogIndex(3)));
        var epochs = new Dictionary<NodeId, ulong> { [N(1)] = 50, [N(2)] = 10, [N(3)] = 42 };
        var seen = new ConcurrentBag<LogIndex>();
        var (region, received) = Region((self, request) =>
        {
            var read = (ReadRequest)request;
            seen.Add(read.MinEpoch);
            return read.MinEpoch.Value > epochs[self] ? new ShardUnavailable("behind") : value;
        }, epoch: 42);
        // The local replica (node 2) is behind the routed epoch: the read goes on to the next replica.
        Assert.Equal(value, await region.SendAsync(Shard, new ReadRequest("k", ReadConsistency.Serializable)));
        Assert.Equal(1, received.GetValueOrDefault(N(2)));
        Assert.Equal(1, received.GetValueOrDefault(N(3)));
        for (var i = 0; i < 6; i++)
        {
            Assert.Equal(value, await region.SendAsync(Shard, new ReadRequest("k", ReadConsistency.Eventual)));
        }
        Assert.All(seen, epoch => Assert.Equal(new LogIndex(42), epoch));
    }

    [Fact]
    public async Task A_shard_without_replicas_is_unavailable()
    {
        var (region, _) = Region((_, _) => Written);
        var reply = Assert.IsType<ShardUnavailable>(await region.SendAsync(new ShardId(99), Put("a")));
        Assert.Contains("no replicas", reply.Reason, StringComparison.Ordinal);
    }
}
