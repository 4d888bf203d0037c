using Akka.Actor;
using Akka.Configuration;
using Akka.TestKit;
using AkkaKv.Sharding.Hosting;
using AkkaKv.Sharding.Placement;
using ManualTimeProvider = AkkaKv.TestKit.ManualTimeProvider;

namespace AkkaKv.Sharding.Tests;

/// <summary>
/// The placement coordinator in its Akka.NET shell (<see cref="PlacementCoordinatorHost"/>), in virtual time, with an
/// executor that applies steps at once (learners report caught up as soon as they are added): joining nodes receive
/// replicas until every shard has three voters and counts are balanced; an unreachable node's replicas are replaced
/// only after replace-down-after; a step the executor refuses is reported and planned again; every round and step is
/// published. Method: Akka.TestKit's <see cref="TestScheduler"/> fires the actor's timers and a
/// <see cref="ManualTimeProvider"/> is its clock, both advanced together in steps of <see cref="Step"/>; the
/// coordinator and the event collector are test actor references on the calling-thread dispatcher, so a step has run
/// every message it caused (timer, executor result, event) before the test looks — nothing is left in flight, as with
/// a drained deterministic scheduler.
/// </summary>
public sealed class PlacementCoordinatorTests : Akka.TestKit.Xunit2.TestKit
{
    private static readonly Config VirtualTime = ConfigurationFactory.ParseString("""
        akka.loglevel = WARNING
        akka.scheduler.implementation = "Akka.TestKit.TestScheduler, Akka.TestKit"
        """);

    /// <summary>How far virtual time moves at once: a tenth of the default round interval.</summary>
    private static readonly TimeSpan Step = TimeSpan.FromMilliseconds(100);

    private readonly ManualTimeProvider _time = new();
    private readonly List<PlacementEvent> _events = [];

    public PlacementCoordinatorTests(ITestOutputHelper output)
        : base(VirtualTime, "coordinator", output)
    {
        var collector = ActorOfAsTestActorRef<Collector>(Props.Create(() => new Collector(_events)), "events");
        Sys.EventStream.Subscribe(collector, typeof(PlacementEvent));
    }

    private static NodeId N(int i) => new((ulong)i);

    private TestScheduler Scheduler => (TestScheduler)Sys.Scheduler;

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

    /// <summary>Keeps every placement event; on the calling thread, so the list is complete when a step returns.</summary>
    private sealed class Collector(List<PlacementEvent> events) : UntypedActor
    {
        protected override void OnReceive(object message)
        {
            if (message is PlacementEvent placement)
            {
                events.Add(placement);
            }
        }
    }

    /// <summary>
    /// The coordinator as a <see cref="TestActorRef{TActor}"/>: created (its timer started) before this returns, and on
    /// the calling-thread dispatcher — a top-level actor made with <c>ActorOf</c> would start later, on another thread.
    /// </summary>
    private TestActorRef<PlacementCoordinatorHost> Start(IPlacementExecutor executor, PlacementCoordinatorOptions? options = null, int shards = 16, PlacementStore? store = null) =>
        ActorOfAsTestActorRef<PlacementCoordinatorHost>(
            PlacementCoordinatorHost.Props(ShardMap.Bootstrap(shards, N(1)), options ?? new PlacementCoordinatorOptions(), executor, store, _time), "placement");

    /// <summary>The coordinator's configuration (its answer is sent, and the ask completed, before this returns).</summary>
    private static ShardMap Current(IActorRef coordinator) =>
        coordinator.Ask<ShardMapHistory>(GetPlacement.Instance, TimeSpan.FromSeconds(5)).GetAwaiter().GetResult().Current;

    /// <summary>Moves virtual time forward by <paramref name="span"/>, firing due timers (and running what they cause) step by step.</summary>
    private void Advance(TimeSpan span)
    {
        for (var left = span; left > TimeSpan.Zero; left -= Step)
        {
            var step = left < Step ? left : Step;
            _time.Advance(step); // the clock first: a timer's handler reads the time it fired at
            Scheduler.Advance(step);
        }
    }

    /// <summary>Advances virtual time until <paramref name="condition"/> holds or <paramref name="timeout"/> of it has passed; whether it holds.</summary>
    private bool RunUntil(Func<bool> condition, TimeSpan timeout)
    {
        for (var waited = TimeSpan.Zero; !condition(); waited += Step)
        {
            if (waited >= timeout)
            {
                return false;
            }
            Advance(Step);
        }
        return true;
    }

    private static List<ShardId> OnNode(ShardMap map, NodeId node) => [.. map.Shards.Values.Where(shard => shard.IsOn(node)).Select(shard => shard.Shard).Order()];

    private static bool Settled(ShardMap map, IReadOnlyCollection<NodeId> nodes, int voters) =>
        map.Shards.Values.All(shard => shard.Voters.Count == voters && shard.Learners.Count == 0 && shard.Voters.All(nodes.Contains))
        && map.ReplicaCounts(nodes).Values is var counts && counts.Max() - counts.Min() <= 1;

    [Fact]
    public void Joining_nodes_receive_replicas_until_every_shard_has_three_balanced_voters()
    {
        var executor = new Executor();
        var coordinator = Start(executor);
        coordinator.Tell(new NodeAvailable(N(2)));
        coordinator.Tell(new NodeAvailable(N(3)));
        Assert.True(RunUntil(() => Settled(Current(coordinator), [N(1), N(2), N(3)], 3), TimeSpan.FromMinutes(5)));
        Assert.Equal(32, executor.Executed.OfType<AddLearner>().Count()); // two new replicas per shard
        Assert.Contains(_events, change => change is PlacementRoundPlanned);
        Assert.Equal(executor.Executed.Count, _events.OfType<PlacementStepCompleted>().Count());
        Assert.True(Current(coordinator).Number > 64);
    }

    [Fact]
    public void An_unreachable_nodes_replicas_are_replaced_only_after_replace_down_after()
    {
        var options = new PlacementCoordinatorOptions { ReplaceDownAfter = TimeSpan.FromSeconds(30) };
        var coordinator = Start(new Executor(), options);
        foreach (var node in new[] { N(2), N(3), N(4) })
        {
            coordinator.Tell(new NodeAvailable(node));
        }
        Assert.True(RunUntil(() => Settled(Current(coordinator), [N(1), N(2), N(3), N(4)], 3), TimeSpan.FromMinutes(5)));
        var onFour = OnNode(Current(coordinator), N(4));
        coordinator.Tell(new NodeUnavailable(N(4)));
        foreach (var shard in Current(coordinator).Shards.Values.Where(shard => shard.Leader == N(4)))
        {
            coordinator.Tell(new ShardLeaderReported(shard.Shard, shard.Voters.First(voter => voter != N(4)))); // the group elects another leader
        }
        Advance(TimeSpan.FromSeconds(20));
        Assert.Contains(Current(coordinator).Shards.Values, shard => shard.IsOn(N(4))); // not yet
        Assert.Equal(onFour, OnNode(Current(coordinator), N(4))); // not one of its replicas yet
        Assert.True(RunUntil(() => Settled(Current(coordinator), [N(1), N(2), N(3)], 3), TimeSpan.FromMinutes(5)),
            "the unreachable node's replicas were not replaced");
        Assert.DoesNotContain(Current(coordinator).Shards.Values, shard => shard.IsOn(N(4)));
    }

    [Fact]
    public void A_refused_step_is_reported_and_planned_again()
    {
        var executor = new Executor();
        var coordinator = Start(executor);
        var refusals = 0;
        executor.Outcome = step => step.Shard != new ShardId(5) || ++refusals > 3;
        coordinator.Tell(new NodeAvailable(N(2)));
        Assert.True(RunUntil(() => Settled(Current(coordinator), [N(1), N(2)], 2), TimeSpan.FromMinutes(5)));
        Assert.Equal(3, _events.OfType<PlacementStepFailed>().Count(failed => failed.Step.Shard == new ShardId(5)));
    }

    [Fact]
    public void A_learner_that_has_not_caught_up_is_made_sure_to_run_every_round()
    {
        var executor = new Executor { CaughtUp = (_, _) => false }; // e.g. its node restarted before it stored anything
        var coordinator = Start(executor);
        coordinator.Tell(new NodeAvailable(N(2)));
        Advance(TimeSpan.FromSeconds(5));
        var learners = Current(coordinator).Shards.Values.SelectMany(shard => shard.Learners.Select(learner => (shard.Shard, learner))).ToList();
        Assert.NotEmpty(learners);
        Assert.All(learners, learner => Assert.True(executor.Ensured.Count(ensured => ensured == learner) >= 3, $"{learner} was ensured {executor.Ensured.Count(ensured => ensured == learner)} times in 5 s"));
        executor.CaughtUp = (_, _) => true;
        Assert.True(RunUntil(() => Settled(Current(coordinator), [N(1), N(2)], 2), TimeSpan.FromMinutes(5)));
    }

    [Fact]
    public async Task A_node_asked_to_leave_before_the_coordinator_observed_it_is_still_drained()
    {
        var group = new Simulation.InMemoryPlacementGroup();
        var store = new PlacementStore(group.SendAsync);
        var coordinator = Start(new Executor(), shards: 8, store: store);
        coordinator.Tell(new NodesObserved([new PlacementNode(N(1), PlacementNodeState.Active), new PlacementNode(N(2), PlacementNodeState.Active)]));
        Advance(TimeSpan.FromSeconds(2));
        // Node 3 joined a moment ago; the operator asks it to leave before the coordinator has seen it.
        Assert.True(store.SetDrainingAsync(N(3), true, CancellationToken.None).IsCompletedSuccessfully);
        Advance(TimeSpan.FromSeconds(2));
        coordinator.Tell(new NodesObserved([.. new[] { 1, 2, 3 }.Select(i => new PlacementNode(N(i), PlacementNodeState.Active))]));
        Advance(TimeSpan.FromSeconds(30));
        // Still asked to leave, it receives nothing (its announcement as drained waits for the groups to confirm the
        // configuration, which this executor does not report).
        Assert.DoesNotContain(Current(coordinator).Shards.Values, shard => shard.IsOn(N(3)));
        Assert.Contains(N(3), await store.LoadDrainingAsync(CancellationToken.None)); // the in-memory group answers at once
    }
}
