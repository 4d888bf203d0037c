namespace AkkaKv.Raft.Tests;

/// <summary>
/// Leadership transfer with TimeoutNow (thesis §3.10). Method: transfer on a <see cref="RaftNetwork"/> to
/// up-to-date, lagging and unreachable targets, then assert who leads and what happened to proposals.
/// </summary>
public sealed class LeaderTransferTests
{
    [Fact]
    public void An_up_to_date_target_takes_over_in_the_next_term()
    {
        var network = RaftNetwork.Of(3);
        network.Elect(1);
        network[1].TransferLeader(RaftNetwork.Id(2));
        network.Stabilize();
        Assert.Equal(RaftRole.Leader, network[2].Role);
        Assert.Equal(new Term(2), network[2].Term);
        Assert.Equal(RaftRole.Follower, network[1].Role);
    }

    [Fact]
    public void A_lagging_target_is_caught_up_first()
    {
        var network = RaftNetwork.Of(3);
        network.Elect(1);
        network.Isolate(3);
        network.Propose(1, "a");
        network.Propose(1, "b");
        network.Recover();
        network[1].TransferLeader(RaftNetwork.Id(3));
        network.Stabilize();
        Assert.Equal(RaftRole.Leader, network[3].Role);
        Assert.Equal(["a", "b"], network.AppliedCommands(3));
    }

    [Fact]
    public void Proposals_are_refused_during_a_transfer_and_the_transfer_is_abandoned_after_an_election_timeout()
    {
        var network = RaftNetwork.Of(3);
        network.Elect(1);
        network.Isolate(3);
        network[1].TransferLeader(RaftNetwork.Id(3));
        network.Stabilize();
        Assert.IsType<ProposeResult.Dropped>(network[1].Propose("x"u8.ToArray()));
        network.TickOne(1, network.Options.ElectionTicks);
        Assert.Equal(RaftRole.Leader, network[1].Role);
        Assert.Equal(NodeId.None, network[1].LeadTransferee);
        Assert.IsType<ProposeResult.Accepted>(network[1].Propose("x"u8.ToArray()));
    }

    [Fact]
    public void Only_a_voter_other_than_the_leader_can_be_the_target()
    {
        var network = RaftNetwork.Of(3);
        network.Elect(1);
        Assert.IsType<ProposeResult.Dropped>(network[1].TransferLeader(RaftNetwork.Id(1)));
        Assert.IsType<ProposeResult.Dropped>(network[1].TransferLeader(RaftNetwork.Id(9)));
        Assert.IsType<ProposeResult.NotLeader>(network[2].TransferLeader(RaftNetwork.Id(3)));
    }
}
