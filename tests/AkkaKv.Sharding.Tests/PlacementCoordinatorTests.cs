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

        public Func<ShardId, NodeId, bool> CaughtUp { get; set; } = (_, _) => true; // a snapshot install, instantly

        public List<(ShardId Shard, NodeId Node)> Ensured { get; } = [];

        public Task EnsureLearnerAsync(ShardId shard, NodeId node, CancellationToken cancellationToken)
        {
            Ensured.Add((shard, node));
            return Task.CompletedTask;
        }

        public Task<bool> ExecuteAsync(PlacementStep step, CancellationToken cancellationToken)
        {
            Executed.Add(step);
            return Task.FromResult(Outcome(step));
        }

        public Task<bool> IsCaughtUpAsync(ShardId shard, NodeId node, CancellationToken cancellationToken) => Task.FromResult(CaughtUp(shard, node));
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
        var coordinator = system.ActorOf(PlacementCoordinatorActor.Props(ShardMap.Bootstrap(16, N(1)), options ?? new PlacementCoordinatorOptions(), executor), "placement");
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

    [Fact]
    public void A_learner_that_has_not_caught_up_is_made_sure_to_run_every_round()
    {
        var (environment, coordinator, executor, _) = Start(4);
        executor.CaughtUp = (_, _) => false; // e.g. its node restarted before it stored anything
        coordinator.Tell(new NodeAvailable(N(2)));
        environment.Advance(TimeSpan.FromSeconds(5));
        var learners = Current(environment, coordinator).Shards.Values.SelectMany(shard => shard.Learners.Select(learner => (shard.Shard, learner))).ToList();
        Assert.NotEmpty(learners);
        Assert.All(learners, learner => Assert.True(executor.Ensured.Count(ensured => ensured == learner) >= 3, $"{learner} was ensured {executor.Ensured.Count(ensured => ensured == learner)} times in 5 s"));
        executor.CaughtUp = (_, _) => true;
        Assert.True(environment.RunUntil(() => Settled(Current(environment, coordinator), [N(1), N(2)], 2), TimeSpan.FromMinutes(5)));
    }

    [Fact]
    public async Task A_node_asked_to_leave_before_the_coordinator_observed_it_is_still_drained()
    {
        var environment = new DeterministicEnvironment(5);
        var system = environment.CreateSystem("coordinator");
        var events = new List<PlacementEvent>();
        system.EventStream.Subscribe(system.ActorOf(Props.Create(() => new Collector(events)), "events"), typeof(PlacementEvent));
        var group = new Simulation.InMemoryPlacementGroup();
        var store = new PlacementStore(group.SendAsync);
        var coordinator = system.ActorOf(PlacementCoordinatorActor.Props(ShardMap.Bootstrap(8, N(1)), new PlacementCoordinatorOptions(), new Executor(), store), "placement");
        coordinator.Tell(new NodesObserved([new PlacementNode(N(1), PlacementNodeState.Active), new PlacementNode(N(2), PlacementNodeState.Active)]));
        environment.Advance(TimeSpan.FromSeconds(2));
        // Node 3 joined a moment ago; the operator asks it to leave before the coordinator has seen it.
        Assert.True(store.SetDrainingAsync(N(3), true, CancellationToken.None).IsCompletedSuccessfully);
        environment.Advance(TimeSpan.FromSeconds(2));
        coordinator.Tell(new NodesObserved([.. new[] { 1, 2, 3 }.Select(i => new PlacementNode(N(i), PlacementNodeState.Active))]));
        environment.Advance(TimeSpan.FromSeconds(30));
        // Still asked to leave, it receives nothing (its announcement as drained waits for the groups to confirm the
        // configuration, which this executor does not report).
        Assert.DoesNotContain(Current(environment, coordinator).Shards.Values, shard => shard.IsOn(N(3)));
        Assert.Contains(N(3), await store.LoadDrainingAsync(CancellationToken.None)); // the in-memory group answers at once
    }
}
