using Akka.Actor;
using Akka.TestKit;
using AkkaKv.Raft;
using AkkaKv.Sharding.Hosting;
using AkkaKv.Sharding.Placement;
using ManualTimeProvider = AkkaKv.TestKit.ManualTimeProvider;

namespace AkkaKv.Sharding.Tests.Hosting;

/// <summary>
/// A node's placement in its Akka.NET shell (<see cref="NodePlacementHost"/>): a probe plays the replica manager
/// (answering <see cref="GetLocalReplicas"/> from a test-set list), a stand-in actor the coordinator, probes the other
/// nodes' hosts, and the placement replica's status is a test-set value; checks run every 20 ms and the publish timer
/// does not fire within a test. The coordinator child starts when the status says Leader and stops when it says
/// Follower; its configurations reach the other nodes' hosts; <see cref="GetPlacementEvents"/> is answered (or
/// forwarded to the coordinator's host); and a replica the configuration dropped is stopped once the grace has passed
/// on the host's (virtual) clock.
/// </summary>
public sealed class NodePlacementHostTests : Akka.TestKit.Xunit2.TestKit
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(20);
    private static readonly ShardId S0 = new(0);
    private static readonly ShardId S1 = new(1);

    private static readonly PlacementHostOptions Options = new()
    {
        Node = N(1),
        PlacementShard = PlacementGroup.Shard,
        CheckInterval = TimeSpan.FromMilliseconds(20),
        PublishInterval = TimeSpan.FromMinutes(10), // never republished within a test: a configuration reaches peers only as it changes
        RemovedReplicaGrace = TimeSpan.FromSeconds(60),
        AskTimeout = TimeSpan.FromSeconds(1),
    };

    private readonly ManualTimeProvider _time = new();
    private readonly ShardMapCache _cache = new();
    private readonly TestProbe _replicas;
    private readonly TestProbe _coordinators;
    private readonly TestProbe _drained;
    private readonly Dictionary<NodeId, TestProbe> _hosts;
    private volatile IReadOnlyCollection<ShardId> _local = [PlacementGroup.Shard];
    private volatile ShardStatus? _status;

    public NodePlacementHostTests()
    {
        _replicas = CreateTestProbe();
        _coordinators = CreateTestProbe();
        _drained = CreateTestProbe();
        _hosts = new() { [N(2)] = CreateTestProbe(), [N(3)] = CreateTestProbe() };
        _replicas.SetAutoPilot(new DelegateAutoPilot((sender, message) =>
        {
            if (message is GetLocalReplicas)
            {
                sender.Tell(new LocalReplicas(_local));
            }
            return AutoPilot.KeepRunning;
        }));
    }

    private static NodeId N(int i) => new((ulong)i);

    private static ShardStatus Status(RaftRole role, ulong term) =>
        new(PlacementGroup.Shard, N(1), role, new Term(term), role == RaftRole.Leader ? N(1) : N(2), new LogIndex(10), new LogIndex(10), new LogIndex(0), 0, 0, new ConfState([N(1), N(2)]));

    /// <summary>Configuration 2: shard 0 and the placement group on node 1, shard 1 on node 2 only.</summary>
    private static ShardMap Map()
    {
        var map = ShardMap.Bootstrap([S0, PlacementGroup.Shard], N(1));
        return map with { Number = 2, Shards = map.Shards.Add(S1, new ShardReplicas(S1, 0, [N(2)], [], N(2))) };
    }

    private IActorRef StartHost() =>
        Sys.ActorOf(NodePlacementHost.Props(Options, _replicas, _cache,
            () => Props.Create(() => new CoordinatorStandIn(_coordinators)),
            () => Task.FromResult<ShardReply?>(_status),
            node => _hosts.TryGetValue(node, out var host) ? host.Ref : null,
            node => _drained.Ref.Tell(node),
            _time), NodePlacementHost.Name);

    [Fact]
    public void The_coordinator_runs_as_a_child_while_the_placement_replica_leads_and_stops_when_it_follows()
    {
        _status = Status(RaftRole.Follower, term: 6);
        var host = StartHost();
        _replicas.FishForMessage<GetLocalReplicas>(_ => true, Deadline);
        _replicas.FishForMessage<GetLocalReplicas>(_ => true, Deadline); // checks ran on a follower: no coordinator
        _status = Status(RaftRole.Leader, term: 7);
        var started = _coordinators.ExpectMsg<CoordinatorStarted>(Deadline);
        Assert.Equal(host.Path / "coordinator-7", started.Path);

        _status = Status(RaftRole.Follower, term: 8);
        Assert.Equal(started.Path, _coordinators.FishForMessage<CoordinatorStopped>(_ => true, Deadline).Path);
    }

    [Fact]
    public void A_configuration_changed_while_coordinating_is_published_to_the_other_nodes_hosts()
    {
        _status = Status(RaftRole.Leader, term: 7);
        var host = StartHost();
        _coordinators.ExpectMsg<CoordinatorStarted>(Deadline);
        var observed = new NodesObserved([new PlacementNode(N(1), PlacementNodeState.Active), new PlacementNode(N(2), PlacementNodeState.Active)]);
        host.Tell(observed);
        Assert.Equal(observed, _coordinators.FishForMessage<NodesObserved>(_ => true, Deadline)); // passed to the coordinator

        var map = Map(); // maps compare their shards by reference: one instance throughout
        Sys.EventStream.Publish(new ShardMapChanged(map));
        Assert.Equal(new ShardMapPublished(map, N(1)), _hosts[N(2)].FishForMessage<ShardMapPublished>(_ => true, Deadline));
        Assert.Equal((map, N(1)), (_cache.Current, _cache.Coordinator));
    }

    [Fact]
    public void Placement_events_are_answered_by_the_coordinators_host()
    {
        _status = Status(RaftRole.Leader, term: 7);
        var host = StartHost();
        _coordinators.ExpectMsg<CoordinatorStarted>(Deadline);
        Sys.EventStream.Publish(new NodeDrained(N(3)));
        _drained.ExpectMsg(N(3), Deadline);

        host.Tell(new GetPlacementEvents(10), TestActor);
        var list = ExpectMsg<PlacementEventList>(Deadline);
        Assert.Equal(N(1), list.Coordinator);
        Assert.Equal([(nameof(NodeDrained), PlacementEventText.Describe(new NodeDrained(N(3))))], list.Events.Select(record => (record.Kind, record.Text)));
    }

    [Fact]
    public void Placement_events_asked_of_a_node_without_the_coordinator_are_forwarded_to_its_host_with_the_original_sender()
    {
        _local = [S0]; // no placement replica here: no coordinator
        var host = StartHost();
        host.Tell(new ShardMapPublished(Map(), N(2)));
        host.Tell(new GetPlacementEvents(10), TestActor);
        var coordinatorHost = _hosts[N(2)];
        Assert.Equal(new GetPlacementEvents(10, Forwarded: true), coordinatorHost.ExpectMsg<GetPlacementEvents>(Deadline));
        Assert.Equal(TestActor, coordinatorHost.LastSender);
    }

    [Fact]
    public void A_replica_dropped_from_the_configuration_is_stopped_once_the_grace_has_passed()
    {
        _local = [S0, S1];
        var host = StartHost();
        host.Tell(new ShardMapPublished(Map(), N(2)));
        for (var check = 0; check < 3; check++) // the clock stands still: checks see shard 1 absent, within the grace
        {
            Assert.IsType<GetLocalReplicas>(_replicas.ExpectMsg<ReplicaManagerRequest>(Deadline));
        }

        _time.Advance(Options.RemovedReplicaGrace);
        host.Tell(new ShardMapPublished(Map(), N(2))); // heard again: the configuration is fresh
        Assert.Equal(new StopReplica(S1), _replicas.FishForMessage<StopReplica>(_ => true, Deadline));
    }

    /// <summary>The coordinator child: reports its start and stop, and passes on what it receives.</summary>
    private sealed class CoordinatorStandIn(IActorRef probe) : UntypedActor
    {
        protected override void PreStart() => probe.Tell(new CoordinatorStarted(Self.Path));

        protected override void PostStop() => probe.Tell(new CoordinatorStopped(Self.Path));

        protected override void OnReceive(object message) => probe.Tell(message);
    }

    private sealed record CoordinatorStarted(ActorPath Path);

    private sealed record CoordinatorStopped(ActorPath Path);
}
