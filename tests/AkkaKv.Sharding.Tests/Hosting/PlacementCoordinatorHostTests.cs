using Akka.Actor;
using AkkaKv.Sharding.Hosting;
using AkkaKv.Sharding.Placement;

namespace AkkaKv.Sharding.Tests.Hosting;

/// <summary>
/// The placement coordinator in its Akka.NET shell (<see cref="PlacementCoordinatorHost"/>): joining nodes receive
/// replicas (configurations published on the event stream, the history answered to <see cref="GetPlacement"/>); a
/// coordinator whose handler fails is not restarted in place — it publishes that it stopped, and stops.
/// </summary>
public sealed class PlacementCoordinatorHostTests : Akka.TestKit.Xunit2.TestKit
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(20);

    private static NodeId N(int i) => new((ulong)i);

    private sealed class Executor(Func<PlacementStep, bool> outcome) : IPlacementExecutor
    {
        public Task EnsureLearnerAsync(ShardId shard, NodeId node, CancellationToken cancellationToken) => Task.CompletedTask;

        public Task<bool> ExecuteAsync(PlacementStep step, CancellationToken cancellationToken) => Task.FromResult(outcome(step));

        public Task<bool> IsCaughtUpAsync(ShardId shard, NodeId node, CancellationToken cancellationToken) => Task.FromResult(true);
    }

    private IActorRef Start(Func<PlacementStep, bool> outcome) =>
        Sys.ActorOf(PlacementCoordinatorHost.Props(ShardMap.Bootstrap(4, N(1)), new PlacementCoordinatorOptions { RoundInterval = TimeSpan.FromMilliseconds(50) },
            new Executor(outcome), store: null, TimeProvider.System), "placement");

    [Fact]
    public void Joining_nodes_receive_replicas_and_the_history_is_answered()
    {
        var events = CreateTestProbe();
        Sys.EventStream.Subscribe(events, typeof(ShardMapChanged));
        var coordinator = Start(_ => true);
        coordinator.Tell(new NodeAvailable(N(2)));
        coordinator.Tell(new NodeAvailable(N(3)));
        events.FishForMessage<ShardMapChanged>(changed => changed.Map.Shards.Values.All(shard => shard.Voters.Count == 3), Deadline);
        coordinator.Tell(GetPlacement.Instance, TestActor);
        var history = ExpectMsg<ShardMapHistory>(Deadline);
        Assert.All(history.Current.Shards.Values, shard => Assert.Equal([N(1), N(2), N(3)], shard.Voters.Order()));
    }

    [Fact]
    public void A_coordinator_that_fails_publishes_that_it_stopped_and_stops()
    {
        var events = CreateTestProbe();
        Sys.EventStream.Subscribe(events, typeof(PlacementCoordinatorStopped));
        var coordinator = Start(_ => throw new InvalidOperationException("executor broke"));
        Watch(coordinator);
        coordinator.Tell(new NodeAvailable(N(2)));
        Assert.Contains("executor broke", events.ExpectMsg<PlacementCoordinatorStopped>(Deadline).Reason, StringComparison.Ordinal);
        ExpectTerminated(coordinator, Deadline);
    }
}
