using AkkaKv.Raft;
using AkkaKv.Sharding.Placement;
using AkkaKv.TestKit;

// Not AkkaKv.Sharding.Tests.Placement: that namespace would shadow the Placement.* names other tests of this assembly use.
namespace AkkaKv.Sharding.Tests;

/// <summary>
/// A node's placement decisions (<see cref="NodePlacement"/>) without an actor system: each test feeds it local
/// replica lists, placement replica statuses, configurations and events on a <see cref="ManualTimeProvider"/>, and
/// asserts the exact decisions returned — the coordinator runs exactly while the placement replica leads (not again
/// within four checks of stopping), configurations flow between the cache and the peers, removed replicas are stopped
/// after the grace and only on a fresh configuration, and the newest 500 events are kept.
/// </summary>
public sealed class NodePlacementTests
{
    private static readonly ShardId S0 = new(0);
    private static readonly ShardId S1 = new(1);
    private static readonly ShardId PlacementShard = PlacementGroup.Shard;

    private static readonly PlacementHostOptions Options = new()
    {
        Node = N(1),
        PlacementShard = PlacementShard,
        CheckInterval = TimeSpan.FromMilliseconds(500),
        PublishInterval = TimeSpan.FromSeconds(2),
        RemovedReplicaGrace = TimeSpan.FromSeconds(10),
    };

    private readonly ManualTimeProvider _time = new();
    private readonly ShardMapCache _cache = new();
    private readonly NodePlacement _placement;

    public NodePlacementTests() => _placement = new NodePlacement(Options, _cache, _time);

    private static NodeId N(int i) => new((ulong)i);

    private static ShardStatus Status(RaftRole role, ulong term = 3) =>
        new(PlacementShard, N(1), role, new Term(term), role == RaftRole.Leader ? N(1) : N(2), new LogIndex(10), new LogIndex(10), new LogIndex(0), 0, 0, new ConfState([N(1), N(2), N(3)]));

    /// <summary>Configuration <paramref name="number"/>: shard 0 and the placement group on node 1, shard 1 on node 2 only.</summary>
    private static ShardMap Map(long number = 2)
    {
        var map = ShardMap.Bootstrap([S0, PlacementShard], N(1));
        return map with { Number = number, Shards = map.Shards.Add(S1, new ShardReplicas(S1, 0, [N(2)], [], N(2))) };
    }

    private void StartCoordinating() => Assert.Equal(NodePlacement.CoordinatorChange.Start, _placement.OnPlacementStatus(Status(RaftRole.Leader)));

    [Fact]
    public void The_coordinator_starts_only_while_the_placement_replica_leads_and_not_within_four_checks_of_stopping()
    {
        var withoutPlacementReplica = _placement.OnLocalReplicas([S0]);
        Assert.Equal((false, false), (withoutPlacementReplica.AskPlacementStatus, withoutPlacementReplica.StopCoordinator));
        Assert.True(_placement.OnLocalReplicas([S0, PlacementShard]).AskPlacementStatus);
        Assert.Equal(NodePlacement.CoordinatorChange.None, _placement.OnPlacementStatus(null));
        Assert.Equal(NodePlacement.CoordinatorChange.None, _placement.OnPlacementStatus(Status(RaftRole.Follower)));
        Assert.Equal(NodePlacement.CoordinatorChange.None, _placement.OnPlacementStatus(Status(RaftRole.Candidate)));
        Assert.False(_placement.IsCoordinating);

        StartCoordinating();
        Assert.True(_placement.IsCoordinating);
        Assert.Equal(NodePlacement.CoordinatorChange.None, _placement.OnPlacementStatus(Status(RaftRole.Leader))); // runs already

        Assert.Equal(NodePlacement.CoordinatorChange.Stop, _placement.OnPlacementStatus(Status(RaftRole.Follower, term: 4)));
        _time.Advance(Options.CheckInterval * 4 - TimeSpan.FromMilliseconds(1));
        Assert.Equal(NodePlacement.CoordinatorChange.None, _placement.OnPlacementStatus(Status(RaftRole.Leader, term: 5)));
        Assert.False(_placement.IsCoordinating);
        _time.Advance(TimeSpan.FromMilliseconds(1));
        Assert.Equal(NodePlacement.CoordinatorChange.Start, _placement.OnPlacementStatus(Status(RaftRole.Leader, term: 5)));
    }

    [Fact]
    public void A_deposed_leader_or_a_node_without_the_placement_replica_stops_the_coordinator()
    {
        StartCoordinating();
        Assert.Equal(NodePlacement.CoordinatorChange.Stop, _placement.OnPlacementStatus(Status(RaftRole.PreCandidate)));
        Assert.Equal(NodePlacement.CoordinatorChange.None, _placement.OnPlacementStatus(Status(RaftRole.Follower))); // stopped once

        _time.Advance(Options.CheckInterval * 4);
        StartCoordinating();
        Assert.Equal(NodePlacement.CoordinatorChange.Stop, _placement.OnPlacementStatus(null)); // the replica did not answer

        _time.Advance(Options.CheckInterval * 4);
        StartCoordinating();
        var decision = _placement.OnLocalReplicas([S0]);
        Assert.False(decision.AskPlacementStatus);
        Assert.True(decision.StopCoordinator);
        Assert.False(_placement.IsCoordinating);
    }

    [Fact]
    public void A_coordinator_that_stopped_by_itself_is_replaced_only_after_four_checks()
    {
        StartCoordinating();
        _placement.OnCoordinatorStopped();
        Assert.False(_placement.IsCoordinating);
        _time.Advance(Options.CheckInterval * 3);
        Assert.Equal(NodePlacement.CoordinatorChange.None, _placement.OnPlacementStatus(Status(RaftRole.Leader)));
        _time.Advance(Options.CheckInterval);
        Assert.Equal(NodePlacement.CoordinatorChange.Start, _placement.OnPlacementStatus(Status(RaftRole.Leader)));
    }

    [Fact]
    public void Configurations_published_by_other_coordinators_enter_the_cache_and_this_nodes_own_do_not()
    {
        var map = Map(2);
        _placement.OnShardMapPublished(new ShardMapPublished(map, N(2)));
        Assert.Same(map, _cache.Current);
        Assert.Equal(N(2), _cache.Coordinator);

        _placement.OnShardMapPublished(new ShardMapPublished(Map(3), N(1))); // an echo of this node's coordinator
        Assert.Same(map, _cache.Current);
        Assert.Equal(N(2), _cache.Coordinator);
    }

    [Fact]
    public void Configurations_are_published_to_the_observed_nodes_except_this_one_and_gone_ones()
    {
        _placement.OnNodesObserved(new NodesObserved([
            new PlacementNode(N(1), PlacementNodeState.Active), new PlacementNode(N(2), PlacementNodeState.Active),
            new PlacementNode(N(3), PlacementNodeState.Gone), new PlacementNode(N(4), PlacementNodeState.Unreachable),
            new PlacementNode(N(5), PlacementNodeState.Leaving)]));
        Assert.Equal([N(2), N(4), N(5)], _placement.Peers);
    }

    [Fact]
    public void Only_a_coordinator_running_here_publishes_and_republishes_its_configuration()
    {
        var map = Map(2); // maps compare their shards by reference: one instance throughout
        Assert.Null(_placement.OnShardMapChanged(new ShardMapChanged(map))); // no coordinator here: nothing to publish
        Assert.Null(_cache.Current);
        Assert.Null(_placement.OnPublishTimer());

        StartCoordinating();
        Assert.Equal(new ShardMapPublished(map, N(1)), _placement.OnShardMapChanged(new ShardMapChanged(map)));
        Assert.Equal((map, N(1)), (_cache.Current, _cache.Coordinator));
        Assert.Equal(new ShardMapPublished(map, N(1)), _placement.OnPublishTimer());

        _placement.OnShardMapPublished(new ShardMapPublished(Map(3), N(2))); // another coordinator is ahead
        Assert.Null(_placement.OnPublishTimer());
    }

    [Fact]
    public void The_coordinator_is_told_the_membership_only_while_it_runs_and_a_new_one_the_last_observed()
    {
        var observed = new NodesObserved([new PlacementNode(N(2), PlacementNodeState.Active)]);
        Assert.Null(_placement.NodesForNewCoordinator);
        Assert.False(_placement.OnNodesObserved(observed));
        Assert.Equal(observed, _placement.NodesForNewCoordinator);
        StartCoordinating();
        Assert.True(_placement.OnNodesObserved(observed));
    }

    [Fact]
    public void A_replica_absent_from_a_recent_configuration_is_stopped_only_after_the_grace()
    {
        var publishes = (int)(Options.RemovedReplicaGrace / Options.PublishInterval);
        for (var i = 0; i < publishes; i++)
        {
            _placement.OnShardMapPublished(new ShardMapPublished(Map(2), N(2)));
            Assert.Empty(_placement.OnLocalReplicas([S0, S1, PlacementShard]).ReplicasToStop);
            _time.Advance(Options.PublishInterval);
        }
        _placement.OnShardMapPublished(new ShardMapPublished(Map(2), N(2)));
        Assert.Equal([S1], _placement.OnLocalReplicas([S0, S1, PlacementShard]).ReplicasToStop); // absent for exactly the grace
    }

    [Fact]
    public void A_replica_listed_again_before_the_grace_ends_is_kept()
    {
        _placement.OnShardMapPublished(new ShardMapPublished(Map(2), N(2)));
        Assert.Empty(_placement.OnLocalReplicas([S1]).ReplicasToStop);
        _time.Advance(Options.PublishInterval);
        var listed = Map(3) with { Shards = Map(3).Shards.SetItem(S1, new ShardReplicas(S1, 1, [N(2)], [N(1)], N(2))) };
        _placement.OnShardMapPublished(new ShardMapPublished(listed, N(2)));
        Assert.Empty(_placement.OnLocalReplicas([S1]).ReplicasToStop); // listed: its absence is forgotten
        _time.Advance(Options.PublishInterval);
        _placement.OnShardMapPublished(new ShardMapPublished(Map(4), N(2)));
        Assert.Empty(_placement.OnLocalReplicas([S1]).ReplicasToStop);
        _time.Advance(Options.RemovedReplicaGrace - TimeSpan.FromMilliseconds(1));
        _placement.OnShardMapPublished(new ShardMapPublished(Map(4), N(2)));
        Assert.Empty(_placement.OnLocalReplicas([S1]).ReplicasToStop); // the grace counts from its last absence only
        _time.Advance(TimeSpan.FromMilliseconds(1));
        Assert.Equal([S1], _placement.OnLocalReplicas([S1]).ReplicasToStop);
    }

    [Fact]
    public void A_replica_is_never_stopped_on_a_stale_configuration_or_none()
    {
        Assert.Empty(_placement.OnLocalReplicas([S1]).ReplicasToStop); // no configuration heard
        _time.Advance(Options.RemovedReplicaGrace * 2);
        Assert.Empty(_placement.OnLocalReplicas([S1]).ReplicasToStop);

        _placement.OnShardMapPublished(new ShardMapPublished(Map(2), N(2)));
        _time.Advance(Options.PublishInterval * 3 + TimeSpan.FromMilliseconds(1));
        Assert.Empty(_placement.OnLocalReplicas([S1]).ReplicasToStop);
        _time.Advance(Options.RemovedReplicaGrace * 2); // cut off from the coordinators for long: keeps everything
        Assert.Empty(_placement.OnLocalReplicas([S1]).ReplicasToStop);
    }

    [Fact]
    public void A_drained_node_is_let_go_only_while_the_coordinator_runs_here()
    {
        Assert.False(_placement.OnNodeDrained(new NodeDrained(N(3)))); // from a coordinator that no longer runs here
        StartCoordinating();
        Assert.True(_placement.OnNodeDrained(new NodeDrained(N(3))));
        Assert.Equal(["NodeDrained", "NodeDrained"], _placement.Events(new GetPlacementEvents(10)).Events.Select(record => record.Kind));
    }

    [Fact]
    public void The_newest_500_events_are_kept_without_configurations()
    {
        for (var i = 0; i <= NodePlacement.KeptEvents; i++)
        {
            _placement.Record(new PlacementCoordinatorStopped($"reason {i}"));
            _placement.Record(new ShardMapChanged(Map(i + 2)));
            _time.Advance(TimeSpan.FromSeconds(1));
        }
        var all = _placement.Events(new GetPlacementEvents(int.MaxValue));
        Assert.Equal(NodeId.None, all.Coordinator);
        Assert.Equal(500, all.Events.Count);
        Assert.All(all.Events, record => Assert.Equal(nameof(PlacementCoordinatorStopped), record.Kind));
        Assert.Equal(new PlacementEventRecord(_time.GetUtcNow() - TimeSpan.FromSeconds(500), nameof(PlacementCoordinatorStopped), "coordinator stopped: reason 1"), all.Events[0]);
        Assert.Equal("coordinator stopped: reason 500", all.Events[^1].Text);

        StartCoordinating();
        var newest = _placement.Events(new GetPlacementEvents(2));
        Assert.Equal(N(1), newest.Coordinator);
        Assert.Equal(["coordinator stopped: reason 499", "coordinator stopped: reason 500"], newest.Events.Select(record => record.Text));
    }

    [Fact]
    public void Event_requests_are_forwarded_once_to_the_coordinator_when_none_runs_here()
    {
        _placement.OnShardMapPublished(new ShardMapPublished(Map(2), N(2)));
        Assert.Equal(N(2), _placement.ForwardEventsTo(new GetPlacementEvents(10)));
        Assert.Null(_placement.ForwardEventsTo(new GetPlacementEvents(10, Forwarded: true)));
        StartCoordinating();
        Assert.Null(_placement.ForwardEventsTo(new GetPlacementEvents(10)));
    }
}
