namespace AkkaKv.Raft.Tests;

/// <summary>
/// Linearizable reads by ReadIndex and by leader lease (thesis §6.4). Method: request read points on leaders and
/// followers, with and without a quorum, across leader changes, and assert which reads complete and at which index.
/// </summary>
public sealed class ReadIndexTests
{
    [Fact]
    public void A_leader_confirms_a_read_at_its_commit_index_after_a_heartbeat_round()
    {
        var network = RaftNetwork.Of(3);
        network.Elect(1);
        network.Propose(1, "a");
        network.Delivered.Clear();
        network[1].ReadIndex(42);
        network.Stabilize();
        Assert.Equal(new ReadState(42, new LogIndex(5)) /* 3 bootstrap entries, the no-op, "a" */, Assert.Single(network.ReadsOf(1)));
        Assert.Contains(network.Delivered, message => message is Heartbeat { ReadContext: > 0 });
    }

    [Fact]
    public void A_leader_cut_off_from_the_majority_never_confirms_a_read()
    {
        var network = RaftNetwork.Of(3);
        network.Elect(1);
        network.Isolate(1);
        network[1].ReadIndex(7);
        network.Stabilize();
        network.TickOne(1, network.Options.HeartbeatTicks);
        Assert.Empty(network.ReadsOf(1));
    }

    [Fact]
    public void After_a_leader_change_a_read_on_the_new_leader_sees_writes_the_old_one_never_saw()
    {
        var network = RaftNetwork.Of(3);
        network.Elect(1);
        network.Isolate(1);
        network.Tick(3 * network.Options.ElectionTicks);
        var newLeader = network.Leader!;
        Assert.NotEqual(RaftNetwork.Id(1), newLeader.Id);
        network.Propose((int)newLeader.Id.Value, "fresh");
        newLeader.ReadIndex(9);
        network.Stabilize();
        var read = Assert.Single(network.ReadsOf((int)newLeader.Id.Value));
        Assert.Equal(newLeader.Committed, read.Index);
        Assert.True(read.Index > network[1].Committed);
        Assert.Empty(network.ReadsOf(1)); // and the old leader, isolated, confirmed nothing
    }

    [Fact]
    public void A_new_leader_answers_reads_only_once_its_term_has_a_committed_entry()
    {
        var network = RaftNetwork.Of(3);
        network.Drop(message => message is AppendEntries { Entries.Count: > 0 }); // the no-op cannot commit
        network.Elect(1);
        network[1].ReadIndex(5);
        network.Stabilize();
        Assert.Empty(network.ReadsOf(1));
        network.Recover();
        network.Tick(network.Options.HeartbeatTicks);
        Assert.Equal(new ReadState(5, new LogIndex(4)), Assert.Single(network.ReadsOf(1)));
    }

    [Fact]
    public void A_leader_elected_again_in_a_new_term_waits_for_that_terms_commit_before_answering_reads()
    {
        var network = RaftNetwork.Of(3);
        network.Elect(1);
        network[1].ReadIndex(1);
        network.Stabilize();
        Assert.Single(network.ReadsOf(1)); // its first term has a committed entry
        var firstTerm = network[1].Term;
        network[1].TransferLeader(RaftNetwork.Id(2));
        network.Stabilize();
        Assert.Equal(RaftRole.Leader, network[2].Role);
        network.Drop(message => message is AppendEntries { Entries.Count: > 0 }); // node 1's next no-op cannot commit
        network[2].TransferLeader(RaftNetwork.Id(1));
        network.Stabilize();
        Assert.Equal(RaftRole.Leader, network[1].Role);
        Assert.True(network[1].Term.Value > firstTerm.Value + 1);
        network[1].ReadIndex(2);
        network.Stabilize();
        Assert.DoesNotContain(network.ReadsOf(1), read => read.RequestId == 2);
    }

    [Fact]
    public void A_follower_read_is_forwarded_to_the_leader_and_answered_with_the_leaders_commit_index()
    {
        var network = RaftNetwork.Of(3);
        network.Elect(1);
        network.Propose(1, "a");
        Assert.IsType<ProposeResult.Accepted>(network[2].ReadIndex(11));
        network.Stabilize();
        Assert.Equal(new ReadState(11, new LogIndex(5)), Assert.Single(network.ReadsOf(2)));
    }

    [Fact]
    public void A_replica_without_a_leader_refuses_a_read()
    {
        var network = RaftNetwork.Of(3);
        Assert.Equal(new ProposeResult.NotLeader(NodeId.None), network[2].ReadIndex(1));
    }

    [Fact]
    public void Lease_reads_need_no_heartbeat_round_while_the_lease_holds_and_fall_back_when_it_lapses()
    {
        var options = new RaftOptions { LeaseReads = true, CheckQuorum = true };
        var network = RaftNetwork.Of(3, options);
        network.Elect(1);
        network.Tick(1); // hear from the followers
        network.Delivered.Clear();
        network[1].ReadIndex(1);
        var ready = network[1].TakeReady();
        Assert.Equal(new ReadState(1, network[1].Committed), Assert.Single(ready.ReadStates));
        Assert.DoesNotContain(ready.Messages, message => message is Heartbeat);
        network[1].Advance(ready);

        network.Isolate(1);
        network.TickOne(1, options.ElectionTicks - options.LeaseDriftMarginTicks); // the lease lapses
        network[1].ReadIndex(2);
        network.Stabilize();
        Assert.DoesNotContain(network.ReadsOf(1), read => read.RequestId == 2);
    }
}
