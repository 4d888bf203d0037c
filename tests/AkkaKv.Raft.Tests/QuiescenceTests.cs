namespace AkkaKv.Raft.Tests;

/// <summary>
/// Quiescence of idle groups: an idle group stops heartbeating and its followers stop their election timers; work
/// wakes it; a dead leader is replaced once the host wakes the followers, or by the fallback timer when it does not; a
/// quiescent leader's lease has lapsed, so a leader partitioned while asleep serves no stale read; a woken follower votes
/// for a candidate. Method: <see cref="RaftNetwork"/> ticks, counting delivered messages.
/// </summary>
public sealed class QuiescenceTests
{
    private static readonly RaftOptions Quiescing = new() { QuiesceAfterTicks = 20, QuiescentHeartbeatTicks = 50 };

    private static RaftNetwork QuiescedGroup(RaftOptions? options = null)
    {
        var network = RaftNetwork.Of(3, options ?? Quiescing);
        network.Elect(1);
        network.Propose(1, "a");
        for (var tick = 0; tick < 40 && !network.Nodes.All(node => node.IsQuiescent); tick++)
        {
            network.Tick();
        }
        Assert.All([1, 2, 3], id => Assert.True(network[id].IsQuiescent, $"replica {id} did not quiesce"));
        network.Delivered.Clear();
        return network;
    }

    [Fact]
    public void An_idle_group_quiesces_and_then_sends_nothing_but_a_rare_quiescing_heartbeat()
    {
        var network = QuiescedGroup();
        network.Tick(49);
        Assert.Empty(network.Delivered);
        network.Tick(1); // the leader's repeated quiescing heartbeat, unanswered
        Assert.Equal(2, network.Delivered.Count);
        Assert.All(network.Delivered, message => Assert.True(message is Heartbeat { Quiesce: true }));
        Assert.Equal(RaftRole.Leader, network[1].Role);

        // Without quiescence the same idle group exchanges heartbeats every tick.
        var awake = RaftNetwork.Of(3);
        awake.Elect(1);
        awake.Delivered.Clear();
        awake.Tick(50);
        Assert.True(awake.Delivered.Count >= 200, $"{awake.Delivered.Count} messages");
    }

    [Fact]
    public void A_proposal_wakes_the_group_commits_everywhere_and_the_group_quiesces_again()
    {
        var network = QuiescedGroup();
        Assert.IsType<ProposeResult.Accepted>(network.Propose(1, "b"));
        Assert.False(network[1].IsQuiescent);
        Assert.All([1, 2, 3], id => Assert.Equal("b", network.AppliedCommands(id)[^1]));
        network.Tick(25);
        Assert.All([1, 2, 3], id => Assert.True(network[id].IsQuiescent));
    }

    [Fact]
    public void A_proposal_to_a_follower_of_a_quiescent_group_and_a_read_wake_it()
    {
        var network = QuiescedGroup();
        Assert.IsType<ProposeResult.Accepted>(network[2].ReadIndex(7));
        network.Stabilize();
        Assert.Contains(network.ReadsOf(2), read => read.RequestId == 7);
        Assert.False(network[1].IsQuiescent, "the leader woke for the read");
    }

    [Fact]
    public void When_the_host_wakes_the_followers_of_a_dead_leader_they_elect_another_within_two_election_timeouts()
    {
        var network = QuiescedGroup();
        network.Isolate(1); // the leader's node dies while the group sleeps
        network.Tick(100);
        Assert.Equal(RaftRole.Leader, network[1].Role); // asleep, nobody noticed
        Assert.True(network[2].IsQuiescent && network[3].IsQuiescent);

        network[2].Wake();
        network[3].Wake();
        network.Tick(2 * network.Options.ElectionTicks + 1);
        var leader = network.Nodes.Single(node => node.Role == RaftRole.Leader && node.Id != RaftNetwork.Id(1));
        Assert.True(leader.Term > network[1].Term);
        Assert.IsType<ProposeResult.Accepted>(leader.Propose("after"u8.ToArray()));
    }

    [Fact]
    public void Without_a_wake_from_the_host_followers_notice_the_missing_quiescing_heartbeats_and_elect()
    {
        var network = QuiescedGroup();
        network.Isolate(1);
        network.Tick((3 * Quiescing.QuiescentHeartbeatTicks) + (2 * network.Options.ElectionTicks) + 1);
        Assert.Contains(network.Nodes, node => node.Role == RaftRole.Leader && node.Id != RaftNetwork.Id(1));
    }

    [Fact]
    public void A_leader_cut_off_while_quiescent_serves_no_read_from_its_lapsed_lease()
    {
        var network = QuiescedGroup(Quiescing with { LeaseReads = true });
        network.Isolate(1);
        network[2].Wake();
        network[3].Wake();
        network.Tick(2 * network.Options.ElectionTicks + 1);
        var newLeader = network.Nodes.Single(node => node.Role == RaftRole.Leader && node.Id != RaftNetwork.Id(1));
        Assert.IsType<ProposeResult.Accepted>(newLeader.Propose("newer"u8.ToArray()));
        network.Stabilize();

        // The old leader still believes it leads; a read must not be answered from its sleep-old lease.
        Assert.Equal(RaftRole.Leader, network[1].Role);
        Assert.IsType<ProposeResult.Accepted>(network[1].ReadIndex(42));
        network.Stabilize();
        network.TickOne(1, 3);
        Assert.DoesNotContain(network.ReadsOf(1), read => read.RequestId == 42);
    }

    [Fact]
    public void Quiescence_settings_are_validated()
    {
        Assert.NotEmpty(new RaftOptions { QuiesceAfterTicks = 5 }.Validate()); // below election ticks
        Assert.NotEmpty(new RaftOptions { QuiesceAfterTicks = 20, QuiescentHeartbeatTicks = 5 }.Validate());
        Assert.Empty(Quiescing.Validate());
    }
}
