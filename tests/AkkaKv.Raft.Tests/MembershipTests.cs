namespace AkkaKv.Raft.Tests;

/// <summary>
/// Single-node membership changes through the log (thesis §4.1), with learners. Method: propose changes on a
/// <see cref="RaftNetwork"/>, add replicas with empty storage, and assert quorums and who votes.
/// </summary>
public sealed class MembershipTests
{
    private static RaftNode AddEmptyReplica(RaftNetwork network, int id) =>
        network.AddNode(RaftNetwork.Id(id), new MemoryRaftStorage());

    [Fact]
    public void A_learner_receives_the_log_but_does_not_vote_and_counts_after_promotion()
    {
        var network = RaftNetwork.Of(3);
        network.Elect(1);
        network.Propose(1, "a");
        AddEmptyReplica(network, 4);
        Assert.IsType<ProposeResult.Accepted>(network[1].ProposeConfChange(new ConfChange(ConfChangeKind.AddLearner, RaftNetwork.Id(4))));
        network.Stabilize();
        Assert.Equal(["a"], network.AppliedCommands(4));
        Assert.Contains(RaftNetwork.Id(4), network[1].Conf.Learners);
        Assert.False(network[4].IsPromotable);
        network.TickOne(4, 5 * network.Options.ElectionTicks);
        Assert.Equal(RaftRole.Follower, network[4].Role); // learners never campaign

        Assert.IsType<ProposeResult.Accepted>(network[1].ProposeConfChange(new ConfChange(ConfChangeKind.AddVoter, RaftNetwork.Id(4))));
        network.Stabilize();
        Assert.Equal(4, network[1].Conf.Voters.Count);
        Assert.Equal(4, network[4].Conf.Voters.Count);
        network.Isolate(2);
        network.Isolate(3);
        network.Propose(1, "needs-4"); // quorum of 4 is 3: 1 and 4 alone cannot commit
        Assert.DoesNotContain("needs-4", network.AppliedCommands(1));
    }

    [Fact]
    public void The_configuration_epoch_is_the_index_of_the_last_applied_change_on_every_replica_and_survives_a_snapshot()
    {
        var network = RaftNetwork.Of(3);
        network.Elect(1);
        var bootstrapped = network[1].Conf.Index;
        Assert.True(bootstrapped > LogIndex.Zero);
        network.Propose(1, "a");
        Assert.Equal(bootstrapped, network[1].Conf.Index); // commands do not change it
        AddEmptyReplica(network, 4);
        Assert.IsType<ProposeResult.Accepted>(network[1].ProposeConfChange(new ConfChange(ConfChangeKind.AddLearner, RaftNetwork.Id(4))));
        var changeAt = network[1].LastIndex;
        network.Stabilize();
        Assert.All([1, 2, 3, 4], id => Assert.Equal(changeAt, network[id].Conf.Index));

        // A replica that learns the membership from a snapshot learns its epoch with it.
        network.Isolate(4);
        for (var i = 0; i < 20; i++)
        {
            network.Propose(1, $"c{i}");
        }
        network.Compact(1);
        network.Recover();
        AddEmptyReplica(network, 4); // replaced by an empty replica: only a snapshot can bring it up
        network.Tick(network.Options.HeartbeatTicks);
        network.Stabilize();
        Assert.Equal(changeAt, network[4].Conf.Index);
    }

    [Fact]
    public void A_replica_with_no_log_grants_no_vote_so_a_stale_configuration_cannot_count_a_reincarnated_voter()
    {
        // Node 2 was a voter, was removed, its data deleted, and an empty replica started again under the same id (to
        // be re-added as a learner). A candidate still in the old configuration asks it for a vote.
        var empty = new RaftNode(RaftNetwork.Id(2), new RaftOptions(), new MemoryRaftStorage(), new Random(1), Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance);
        foreach (var preVote in new[] { true, false })
        {
            empty.Step(new VoteRequest(RaftNetwork.Id(3), RaftNetwork.Id(2), new Term(2), new LogIndex(42), new Term(1), preVote, LeaderTransfer: false));
            var ready = empty.TakeReady();
            var answer = Assert.Single(ready.MessagesAfterPersist.OfType<VoteResponse>());
            Assert.False(answer.Granted, preVote ? "pre-vote granted" : "vote granted");
            empty.Advance(ready);
        }
        Assert.True(empty.Vote.IsNone);
    }

    [Fact]
    public void Only_one_membership_change_is_in_flight_at_a_time()
    {
        var network = RaftNetwork.Of(3);
        network.Elect(1);
        network.Isolate(2);
        network.Isolate(3);
        Assert.IsType<ProposeResult.Accepted>(network[1].ProposeConfChange(new ConfChange(ConfChangeKind.AddLearner, RaftNetwork.Id(4))));
        var second = network[1].ProposeConfChange(new ConfChange(ConfChangeKind.AddLearner, RaftNetwork.Id(5)));
        Assert.IsType<ProposeResult.Dropped>(second);
    }

    [Fact]
    public void A_new_leader_refuses_membership_changes_until_its_no_op_is_applied()
    {
        var network = RaftNetwork.Of(3);
        network.Drop(message => message is AppendEntries { Entries.Count: > 0 });
        network.Elect(1);
        Assert.IsType<ProposeResult.Dropped>(network[1].ProposeConfChange(new ConfChange(ConfChangeKind.RemoveNode, RaftNetwork.Id(3))));
    }

    [Fact]
    public void Removing_a_voter_shrinks_the_quorum()
    {
        var network = RaftNetwork.Of(3);
        network.Elect(1);
        network[1].ProposeConfChange(new ConfChange(ConfChangeKind.RemoveNode, RaftNetwork.Id(3)));
        network.Stabilize();
        Assert.Equal([RaftNetwork.Id(1), RaftNetwork.Id(2)], network[1].Conf.Voters);
        network.Isolate(3);
        network.Propose(1, "two-of-two");
        Assert.Contains("two-of-two", network.AppliedCommands(2));
    }

    [Fact]
    public void A_leader_that_removes_itself_steps_down_and_the_rest_elect_a_leader()
    {
        var network = RaftNetwork.Of(3);
        network.Elect(1);
        network[1].ProposeConfChange(new ConfChange(ConfChangeKind.RemoveNode, RaftNetwork.Id(1)));
        network.Stabilize();
        Assert.Equal(RaftRole.Follower, network[1].Role);
        network.Tick(3 * network.Options.ElectionTicks);
        var leader = network.Leader!;
        Assert.NotEqual(RaftNetwork.Id(1), leader.Id);
        Assert.Equal(2, leader.Conf.Voters.Count);
    }

    [Fact]
    public void The_last_voter_cannot_be_removed()
    {
        var network = RaftNetwork.Of(1);
        network.Elect(1);
        Assert.IsType<ProposeResult.Dropped>(network[1].ProposeConfChange(new ConfChange(ConfChangeKind.RemoveNode, RaftNetwork.Id(1))));
    }

    [Fact]
    public void Membership_change_entries_round_trip_and_garbage_is_refused()
    {
        var change = new ConfChange(ConfChangeKind.AddLearner, new NodeId(ulong.MaxValue));
        Assert.Equal(change, ConfChange.Decode(change.Encode()));
        Assert.Throws<FormatException>(() => ConfChange.Decode([1, 2, 3]));
        var wrongKind = change.Encode();
        wrongKind[1] = 9;
        Assert.Throws<FormatException>(() => ConfChange.Decode(wrongKind));
    }
}
