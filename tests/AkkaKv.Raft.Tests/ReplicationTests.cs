namespace AkkaKv.Raft.Tests;

/// <summary>
/// Log replication and commitment after Raft §5.3–§5.4 (Figures 7 and 8), flow control, and the persistence
/// contract of <see cref="Ready"/>. Method: propose through a <see cref="RaftNetwork"/>, shape the traffic, and
/// compare logs and applied commands exactly.
/// </summary>
public sealed class ReplicationTests
{
    [Fact]
    public void A_proposal_is_committed_and_applied_in_order_on_every_replica()
    {
        var network = RaftNetwork.Of(3);
        network.Elect(1);
        network.Propose(1, "a");
        network.Propose(1, "b");
        foreach (var id in new[] { 1, 2, 3 })
        {
            Assert.Equal(["a", "b"], network.AppliedCommands(id));
            Assert.Equal(new LogIndex(6), network[id].Committed); // 3 bootstrap entries, no-op, a, b
        }
    }

    [Fact]
    public void Followers_refuse_proposals_and_name_the_leader()
    {
        var network = RaftNetwork.Of(3);
        network.Elect(1);
        var result = network.Propose(2, "x");
        Assert.Equal(new ProposeResult.NotLeader(RaftNetwork.Id(1)), result);
    }

    [Fact]
    public void A_leader_commits_only_what_it_has_persisted_itself_when_it_is_needed_for_the_quorum()
    {
        var network = RaftNetwork.Of(1);
        network.Elect(1);
        network[1].Propose("x"u8.ToArray());
        var ready = network[1].TakeReady();
        Assert.Single(ready.Entries);
        Assert.Empty(ready.CommittedEntries); // not durable yet
        network.StorageOf(1).Persist(ready);
        network[1].Advance(ready);
        var next = network[1].TakeReady();
        Assert.Equal(ready.Entries[0].Index, Assert.Single(next.CommittedEntries).Index);
        network[1].Advance(next);
    }

    [Fact]
    public void A_ready_that_only_moves_the_commit_index_need_not_be_synced_but_new_entries_and_votes_must()
    {
        var network = RaftNetwork.Of(1);
        network.Elect(1);
        network[1].Propose("x"u8.ToArray());
        var ready = network[1].TakeReady();
        Assert.True(ready.MustSync); // entries
        network.StorageOf(1).Persist(ready);
        network[1].Advance(ready);
        var commit = network[1].TakeReady();
        Assert.Empty(commit.Entries);
        Assert.Equal(ready.Entries[0].Index, commit.HardState?.Commit);
        Assert.False(commit.MustSync); // only the commit index moved: Raft relearns it after a crash
        network[1].Advance(commit);

        var candidate = RaftNetwork.Of(3, new RaftOptions { PreVote = false })[1];
        candidate.Campaign();
        var campaign = candidate.TakeReady();
        Assert.Empty(campaign.Entries);
        Assert.Equal(RaftNetwork.Id(1), campaign.HardState?.Vote);
        Assert.True(campaign.MustSync); // a new term and vote are never written unsynced
    }

    [Fact]
    public void A_leader_ships_entries_before_its_own_write_completes()
    {
        var network = RaftNetwork.Of(3);
        network.Elect(1);
        network[1].Propose("x"u8.ToArray());
        var ready = network[1].TakeReady();
        Assert.Single(ready.Entries);
        Assert.Equal(2, ready.Messages.OfType<AppendEntries>().Count(append => append.Entries.Count == 1)); // thesis §10.2.1
        network[1].Advance(ready);
    }

    [Fact]
    public void A_follower_that_missed_entries_catches_up_after_the_partition_heals()
    {
        var network = RaftNetwork.Of(3);
        network.Elect(1);
        network.Isolate(3);
        for (var i = 0; i < 20; i++)
        {
            network.Propose(1, $"v{i}");
        }
        Assert.Empty(network.AppliedCommands(3));
        network.Recover();
        network.Tick(network.Options.HeartbeatTicks);
        Assert.Equal(network.AppliedCommands(1), network.AppliedCommands(3));
        Assert.Equal(20, network.AppliedCommands(3).Count);
    }

    [Fact]
    public void Uncommitted_entries_of_a_deposed_leader_are_replaced_by_the_new_leaders_log()
    {
        var network = RaftNetwork.Of(3);
        network.Elect(1);
        network.Propose(1, "committed");
        network.Isolate(1);
        network.Propose(1, "lost-1");
        network.Propose(1, "lost-2");
        Assert.Equal(new LogIndex(7), network[1].LastIndex); // 3 bootstrap entries, no-op, 3 commands
        network.Tick(3 * network.Options.ElectionTicks); // 2 or 3 takes over; 1 steps down by check-quorum
        var leader = network.Leader!;
        Assert.NotEqual(RaftNetwork.Id(1), leader.Id);
        network.Propose((int)leader.Id.Value, "new");
        network.Recover();
        network.Tick(network.Options.ElectionTicks);
        Assert.Equal(["committed", "new"], network.AppliedCommands(1));
        Assert.Equal(network.AppliedCommands(2), network.AppliedCommands(1));
    }

    [Fact]
    public void Figure_8_a_leader_does_not_commit_an_older_term_entry_by_counting_replicas() => Figure8(RaftDefects.None);

    [Fact]
    public void Figure_8_the_check_fails_for_a_leader_that_commits_an_older_term_entry_by_counting()
    {
        // The broken variant (tests only): the same steps must trip the assertion that §5.4.2 holds.
        var failure = Assert.ThrowsAny<Xunit.Sdk.XunitException>(() => Figure8(RaftDefects.CommitOlderTermByCounting));
        Assert.Matches(@"Expected: +i3\b", failure.Message); // expected: the commit index still at the bootstrap entries
    }

    private static void Figure8(RaftDefects defects)
    {
        // Node 1 restarts with two entries of term 1 (never committed) after the 3 bootstrap entries, and wins term 3.
        var conf = new ConfState([RaftNetwork.Id(1), RaftNetwork.Id(2), RaftNetwork.Id(3)]);
        var storage = MemoryRaftStorage.Bootstrapped(conf);
        storage.Persist(new Ready
        {
            HardState = new RaftHardState(new Term(2), NodeId.None, new LogIndex(3)),
            Entries = [Entry(4, 1), Entry(5, 1)],
        });
        var leader = new RaftNode(RaftNetwork.Id(1), new RaftOptions { PreVote = false, Defects = defects }, storage, new Random(1), Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance);
        var bootstrap = leader.TakeReady();
        leader.Advance(bootstrap); // applies the bootstrap membership
        leader.Campaign();
        leader.Step(new VoteResponse(RaftNetwork.Id(2), leader.Id, new Term(3), PreVote: false, Granted: true));
        Assert.Equal(RaftRole.Leader, leader.Role);
        Assert.Equal(new LogIndex(6), leader.LastIndex); // its no-op of term 3

        // A majority (1 and 2) now holds the term-1 entry at index 2: §5.4.2 forbids committing it by counting.
        leader.Step(new AppendResponse(RaftNetwork.Id(2), leader.Id, new Term(3), new LogIndex(5), false, LogIndex.Zero, Term.Zero));
        Assert.Equal(new LogIndex(3), leader.Committed);

        // Once an entry of the current term is on a majority, it and everything before it commit.
        leader.Step(new AppendResponse(RaftNetwork.Id(2), leader.Id, new Term(3), new LogIndex(6), false, LogIndex.Zero, Term.Zero));
        var ready = leader.TakeReady();
        storage.Persist(ready);
        leader.Advance(ready); // the leader's own write of the no-op completes
        Assert.Equal(new LogIndex(6), leader.Committed);
    }

    private static RaftEntry Entry(ulong index, ulong term) =>
        new(new LogIndex(index), new Term(term), RaftEntryKind.Normal, new byte[] { 1 });

    [Fact]
    public void Fast_back_off_fixes_a_long_divergent_follower_log_in_a_few_round_trips()
    {
        var network = RaftNetwork.Of(3, new RaftOptions { PreVote = false, CheckQuorum = false });
        network.Elect(1);
        network.Isolate(1);
        for (var i = 0; i < 100; i++)
        {
            network[1].Propose(System.Text.Encoding.UTF8.GetBytes($"stale{i}"));
        }
        network.Stabilize();
        network.Recover();
        network.Isolate(1);
        network.Elect(2);
        for (var i = 0; i < 50; i++)
        {
            network.Propose(2, $"fresh{i}");
        }
        network.Elect(3); // a leader that starts probing node 1 far beyond where the logs diverge
        network.Propose(3, "last");
        network.Recover();
        network.Delivered.Clear();
        network.Tick(network.Options.HeartbeatTicks);
        var rejections = network.Delivered.OfType<AppendResponse>().Count(response => response.Rejected && response.From == RaftNetwork.Id(1));
        Assert.Equal(1, rejections); // one per divergent term, not one per entry
        Assert.Equal(network.AppliedCommands(3), network.AppliedCommands(1));
    }

    [Fact]
    public void The_pipeline_is_bounded_by_the_in_flight_window()
    {
        var network = RaftNetwork.Of(2, new RaftOptions { MaxInflightMessages = 3 });
        network.Elect(1);
        network.Drop(message => message is AppendResponse);
        for (var i = 0; i < 10; i++)
        {
            network[1].Propose(System.Text.Encoding.UTF8.GetBytes($"v{i}"));
            network.Stabilize();
        }
        var appendsWithEntries = network.Delivered.OfType<AppendEntries>().Count(append => append.Entries.Count > 0 && append.Entries[0].Data.Length > 0);
        Assert.Equal(3, appendsWithEntries);
        network.Recover();
        network.Tick(network.Options.HeartbeatTicks);
        Assert.Equal(10, network.AppliedCommands(2).Count);
    }

    [Fact]
    public void Entries_are_batched_into_one_message_per_follower_per_ready()
    {
        var network = RaftNetwork.Of(3);
        network.Elect(1);
        for (var i = 0; i < 5; i++)
        {
            network[1].Propose(System.Text.Encoding.UTF8.GetBytes($"v{i}"));
        }
        var ready = network[1].TakeReady();
        var appends = ready.Messages.OfType<AppendEntries>().ToList();
        Assert.Equal(2, appends.Count);
        Assert.All(appends, append => Assert.Equal(5, append.Entries.Count));
        network[1].Advance(ready);
    }

    [Fact]
    public void A_restarted_replica_keeps_its_log_and_reapplies_committed_entries()
    {
        var network = RaftNetwork.Of(3);
        network.Elect(1);
        network.Propose(1, "a");
        network.Propose(1, "b");
        network.Restart(2);
        network.Tick(network.Options.HeartbeatTicks);
        Assert.Equal(["a", "b"], network.AppliedCommands(2));
    }
}
