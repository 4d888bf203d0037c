using AkkaKv.Actors;
using AkkaKv.Actors.Deterministic;
using AkkaKv.Sharding.Placement;

namespace AkkaKv.Sharding.Tests;

/// <summary>
/// The placement coordinator in virtual time with an executor that applies steps at once (learners report caught up
/// as soon as they are added): joining nodes receive replicas until every shard has three voters and counts are
/// balanced; an unreachable node's replicas are replaced only after replace-down-after; a step the executor refuses
/// is reported and planned again; every round and step is published. Method: the deterministic mode.
/// </summary>
public sealed class PlacementCoordinatorTests
{
    private static NodeId N(int i) => new((ulong)i);

    private sealed class Executor : IPlacementExecutor
    {
        public Func<PlacementStep, bool> Outcome { get; set; } = _ => true;

        public List<PlacementStep> Executed { get; } = [];

        public Task<bool> ExecuteAsync(PlacementStep step, CancellationToken cancellationToken)
        {
            Executed.Add(step);
            return Task.FromResult(Outcome(step));
        }

        public Task<bool> IsCaughtUpAsync(ShardId shard, NodeId node, CancellationToken cancellationToken) => Task.FromResult(true); // a snapshot install, instantly
    }

    private sealed class Collector(List<PlacementEvent> events) : Actor
    {
        protected override void Receive(object message)
        {
            if (message is PlacementEvent placement)
            {
                events.Add(placement);
            }
        }
    }

    private static (DeterministicEnvironment Environment, IActorRef Coordinator, Executor Executor, List<PlacementEvent> Events) Start(int seed, PlacementCoordinatorOptions? options = null)
    {
        var environment = new DeterministicEnvironment(seed);
        var system = environment.CreateSystem("coordinator");
        var executor = new Executor();
        var events = new List<PlacementEvent>();
        system.EventStream.Subscribe(system.ActorOf(Props.Create(() => new Collector(events)), "events"), typeof(PlacementEvent));
        var coordinator = system.ActorOf(PlacementCoordinator.Props(ShardMap.Bootstrap(16, N(1)), options ?? new PlacementCoordinatorOptions(), executor), "placement");
        return (environment, coordinator, executor, events);
    }

    private static ShardMap Current(DeterministicEnvironment environment, IActorRef coordinator)
    {
        var reply = coordinator.Ask<ShardMapHistory>(GetPlacement.Instance, TimeSpan.FromSeconds(5));
        environment.RunUntilIdle();
        return reply.GetAwaiter().GetResult().Current;
    }

    private static bool Settled(ShardMap map, IReadOnlyCollection<NodeId> nodes, int voters) =>
        map.Shards.Values.All(shard => shard.Voters.Count == voters && shard.Learners.Count == 0 && shard.Voters.All(nodes.Contains))
        && map.ReplicaCounts(nodes).Values is var counts && counts.Max() - counts.Min() <= 1;

    [Fact]
    public void Joining_nodes_receive_replicas_until_every_shard_has_three_balanced_voters()
    {
        var (environment, coordinator, executor, events) = Start(1);
        coordinator.Tell(new NodeAvailable(N(2)));
        coordinator.Tell(new NodeAvailable(N(3)));
        Assert.True(environment.RunUntil(() => Settled(Current(environment, coordinator), [N(1), N(2), N(3)], 3), TimeSpan.FromMinutes(5)));
        Assert.Equal(32, executor.Executed.OfType<AddLearner>().Count()); // two new replicas per shard
        Assert.Contains(events, change => change is PlacementRoundPlanned);
        Assert.Equal(executor.Executed.Count, events.OfType<PlacementStepCompleted>().Count());
        Assert.True(Current(environment, coordinator).Number > 64);
    }

    [Fact]
    public void An_unreachable_nodes_replicas_are_replaced_only_after_replace_down_after()
    {
        var options = new PlacementCoordinatorOptions { ReplaceDownAfter = TimeSpan.FromSeconds(30) };
        var (environment, coordinator, _, _) = Start(2, options);
        foreach (var node in new[] { N(2), N(3), N(4) })
        {
            coordinator.Tell(new NodeAvailable(node));
        }
        Assert.True(environment.RunUntil(() => Settled(Current(environment, coordinator), [N(1), N(2), N(3), N(4)], 3), TimeSpan.FromMinutes(5)));
        coordinator.Tell(new NodeUnavailable(N(4)));
        foreach (var shard in Current(environment, coordinator).Shards.Values.Where(shard => shard.Leader == N(4)))
        {
            coordinator.Tell(new ShardLeaderReported(shard.Shard, shard.Voters.First(voter => voter != N(4)))); // the group elects another leader
        }
        environment.Advance(TimeSpan.FromSeconds(20));
        Assert.Contains(Current(environment, coordinator).Shards.Values, shard => shard.IsOn(N(4))); // not yet
        Assert.True(environment.RunUntil(() => Settled(Current(environment, coordinator), [N(1), N(2), N(3)], 3), TimeSpan.FromMinutes(5)),
            "the unreachable node's replicas were not replaced");
        Assert.DoesNotContain(Current(environment, coordinator).Shards.Values, shard => shard.IsOn(N(4)));
    }

    [Fact]
    public void A_refused_step_is_reported_and_planned_again()
    {
        var (environment, coordinator, executor, events) = Start(3);
        var refusals = 0;
        executor.Outcome = step => step.Shard != new ShardId(5) || ++refusals > 3;
        coordinator.Tell(new NodeAvailable(N(2)));
        Assert.True(environment.RunUntil(() => Settled(Current(environment, coordinator), [N(1), N(2)], 2), TimeSpan.FromMinutes(5)));
        Assert.Equal(3, events.OfType<PlacementStepFailed>().Count(failed => failed.Step.Shard == new ShardId(5)));
    }
}
