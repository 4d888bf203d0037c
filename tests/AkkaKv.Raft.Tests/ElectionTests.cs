namespace AkkaKv.Raft.Tests;

/// <summary>
/// Leader election after Raft §5.2 and §5.4.1, with PreVote and CheckQuorum (thesis §9.6, §6.2).
/// Method: drive a <see cref="RaftNetwork"/> by ticks and campaigns, then assert roles, terms and votes exactly.
/// </summary>
public sealed class ElectionTests
{
    [Fact]
    public void A_single_voter_elects_itself_and_commits_its_no_op()
    {
        var network = RaftNetwork.Of(1);
        network.Campaign(1);
        Assert.Equal(RaftRole.Leader, network[1].Role);
        Assert.Equal(new Term(1), network[1].Term);
        Assert.Equal(new LogIndex(2), network[1].Committed); // the bootstrap entry, then the no-op
        Assert.True(network.AppliedEntries(1)[^1].IsNoOp);
    }

    [Fact]
    public void The_candidate_with_votes_from_a_majority_becomes_leader_and_the_others_follow_it()
    {
        var network = RaftNetwork.Of(3);
        network.Campaign(1);
        Assert.Equal(RaftRole.Leader, network[1].Role);
        foreach (var id in new[] { 2, 3 })
        {
            Assert.Equal(RaftRole.Follower, network[id].Role);
            Assert.Equal(new Term(1), network[id].Term);
            Assert.Equal(RaftNetwork.Id(1), network[id].Leader);
            Assert.Equal(RaftNetwork.Id(1), network[id].Vote);
        }
    }

    [Fact]
    public void A_follower_that_hears_nothing_campaigns_within_two_election_timeouts()
    {
        var network = RaftNetwork.Of(3);
        network.Tick(2 * network.Options.ElectionTicks);
        var leader = network.Leader;
        Assert.NotNull(leader);
        Assert.Equal(1, network.Nodes.Count(node => node.Role == RaftRole.Leader));
    }

    [Fact]
    public void Election_restriction_a_candidate_with_an_older_log_loses()
    {
        var network = RaftNetwork.Of(3);
        network.Elect(1);
        network.Isolate(3);
        network.Propose(1, "x"); // 1 and 2 have the entry; 3 does not
        network.Recover();
        network.Isolate(1);
        network[3].Campaign();
        network.Stabilize();
        Assert.NotEqual(RaftRole.Leader, network[3].Role); // 2 refuses: 3's log is behind (§5.4.1)
        network[2].Campaign();
        network.Stabilize();
        Assert.Equal(RaftRole.Leader, network[2].Role);
    }

    [Fact]
    public void A_voter_grants_at_most_one_vote_per_term()
    {
        var options = new RaftOptions { PreVote = false, CheckQuorum = false };
        var network = RaftNetwork.Of(3, options);
        network.Isolate(3);
        network[1].Campaign(); // term 1, 2 votes for 1
        network.Stabilize();
        Assert.Equal(RaftNetwork.Id(1), network[2].Vote);
        var reply = StepVote(network[2], from: 3, term: 1);
        Assert.False(reply.Granted);
    }

    [Fact]
    public void Messages_of_a_higher_term_make_a_leader_step_down()
    {
        var network = RaftNetwork.Of(3);
        network.Elect(1);
        network[1].Step(new AppendResponse(RaftNetwork.Id(2), RaftNetwork.Id(1), new Term(5), LogIndex.Zero, false, LogIndex.Zero, Term.Zero));
        Assert.Equal(RaftRole.Follower, network[1].Role);
        Assert.Equal(new Term(5), network[1].Term);
    }

    [Fact]
    public void Messages_of_an_older_term_are_ignored()
    {
        var network = RaftNetwork.Of(3, new RaftOptions { PreVote = false, CheckQuorum = false });
        network.Elect(1);
        network.Elect(2); // term 2
        var stale = new AppendEntries(RaftNetwork.Id(1), RaftNetwork.Id(3), new Term(1), LogIndex.Zero, Term.Zero, [], LogIndex.Zero);
        Assert.Equal(StepResult.IgnoredStaleTerm, network[3].Step(stale));
        Assert.Equal(RaftNetwork.Id(2), network[3].Leader);
    }

    [Fact]
    public void PreVote_keeps_a_partitioned_node_from_inflating_its_term_and_disrupting_the_leader_on_return()
    {
        var network = RaftNetwork.Of(3);
        network.Elect(1);
        network.Isolate(3);
        network.Tick(10 * network.Options.ElectionTicks);
        Assert.Equal(new Term(1), network[3].Term); // pre-votes failed, so no term was burnt
        network.Recover();
        network.Tick(network.Options.ElectionTicks);
        Assert.Equal(RaftRole.Leader, network[1].Role);
        Assert.Equal(new Term(1), network[1].Term);
    }

    [Fact]
    public void Without_PreVote_a_returning_partitioned_node_forces_a_new_election()
    {
        var network = RaftNetwork.Of(3, new RaftOptions { PreVote = false, CheckQuorum = false });
        network.Elect(1);
        network.Isolate(3);
        network.Tick(4 * network.Options.ElectionTicks);
        Assert.True(network[3].Term > new Term(1));
        network.Recover();
        network.Tick(3 * network.Options.ElectionTicks);
        Assert.True(network.Leader!.Term > new Term(1)); // the disruption PreVote exists to prevent
    }

    [Fact]
    public void CheckQuorum_a_leader_cut_off_from_the_majority_steps_down_within_an_election_timeout()
    {
        var network = RaftNetwork.Of(3);
        network.Elect(1);
        network.Isolate(1);
        network.TickOne(1, network.Options.ElectionTicks);
        network.TickOne(1, network.Options.ElectionTicks);
        Assert.Equal(RaftRole.Follower, network[1].Role);
    }

    [Fact]
    public void CheckQuorum_followers_in_touch_with_a_leader_ignore_a_candidate()
    {
        var network = RaftNetwork.Of(3, new RaftOptions { PreVote = false, CheckQuorum = true });
        network.Elect(1);
        network.Isolate(3);
        network.TickOne(3, 2 * network.Options.ElectionTicks); // 3 campaigns alone, term rises
        Assert.True(network[3].Term > new Term(1));
        network.Recover();
        var termBefore = network[2].Term;
        network[3].Campaign();
        network.Stabilize();
        Assert.NotEqual(RaftRole.Leader, network[3].Role);
        Assert.Equal(RaftNetwork.Id(1), network[2].Leader);
        Assert.Equal(termBefore, network[2].Term);
    }

    [Fact]
    public void Votes_are_sent_only_after_the_term_and_vote_are_persisted()
    {
        var network = RaftNetwork.Of(3, new RaftOptions { PreVote = false });
        network[1].Campaign();
        var ready = network[1].TakeReady();
        Assert.Empty(ready.Messages);
        Assert.All(ready.MessagesAfterPersist, message => Assert.IsType<VoteRequest>(message));
        Assert.Equal(new RaftHardState(new Term(1), RaftNetwork.Id(1), new LogIndex(3)), ready.HardState);
    }

    [Fact]
    public void A_restarted_node_remembers_its_vote_and_does_not_vote_twice_in_a_term()
    {
        var network = RaftNetwork.Of(3, new RaftOptions { PreVote = false, CheckQuorum = false });
        network.Isolate(3);
        network[1].Campaign();
        network.Stabilize();
        var restarted = network.Restart(2);
        Assert.Equal(new Term(1), restarted.Term);
        Assert.Equal(RaftNetwork.Id(1), restarted.Vote);
        Assert.False(StepVote(restarted, from: 3, term: 1).Granted);
    }

    private static VoteResponse StepVote(RaftNode voter, int from, int term)
    {
        voter.Step(new VoteRequest(RaftNetwork.Id(from), voter.Id, new Term((ulong)term), new LogIndex(100), new Term((ulong)term), PreVote: false, LeaderTransfer: false));
        var ready = voter.TakeReady();
        voter.Advance(ready);
        return ready.MessagesAfterPersist.OfType<VoteResponse>().Single();
    }
}
