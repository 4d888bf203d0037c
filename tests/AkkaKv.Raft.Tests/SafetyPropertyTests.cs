namespace AkkaKv.Raft.Tests;

/// <summary>
/// Raft's safety properties (Figure 3) hold on the core alone under random partitions, message loss, restarts and
/// load: election safety, log matching, and state-machine safety. Method: seeded random schedules on a
/// <see cref="RaftNetwork"/> of five, checking the properties after every step.
/// </summary>
public sealed class SafetyPropertyTests
{
    public static TheoryData<int> Seeds() => [.. Enumerable.Range(1, 25)];

    [Theory]
    [MemberData(nameof(Seeds))]
    public void Election_safety_log_matching_and_state_machine_safety_hold_under_random_faults(int seed)
    {
        var random = new Random(seed);
        var network = RaftNetwork.Of(5, seed: seed);
        network.Drop(_ => random.NextDouble() < 0.1);
        var leaders = new Dictionary<Term, NodeId>();
        for (var step = 0; step < 300; step++)
        {
            switch (random.Next(10))
            {
                case 0:
                    network.Recover();
                    network.Drop(_ => random.NextDouble() < 0.1);
                    network.Isolate(1 + random.Next(5));
                    break;
                case 1:
                    network.Restart(1 + random.Next(5));
                    break;
                default:
                    foreach (var node in network.Nodes.Where(node => node.Role == RaftRole.Leader))
                    {
                        node.Propose(System.Text.Encoding.UTF8.GetBytes($"s{seed}-{step}"));
                    }
                    break;
            }
            network.Tick();
            foreach (var node in network.Nodes.Where(node => node.Role == RaftRole.Leader))
            {
                Assert.True(!leaders.TryGetValue(node.Term, out var other) || other == node.Id, $"seed {seed}: two leaders in {node.Term}");
                leaders[node.Term] = node.Id;
            }
            AssertLogMatching(network, seed);
            AssertSameAppliedPrefix(network, seed);
        }
    }

    /// <summary>If two logs hold an entry with the same index and term, they are identical up to it.</summary>
    private static void AssertLogMatching(RaftNetwork network, int seed)
    {
        var nodes = network.Nodes;
        for (var a = 0; a < nodes.Count; a++)
        {
            for (var b = a + 1; b < nodes.Count; b++)
            {
                var last = LogIndex.Min(nodes[a].LastIndex, nodes[b].LastIndex);
                for (var index = last; index > LogIndex.Zero; index = index.Previous())
                {
                    var termA = nodes[a].TermAt(index);
                    if (termA is not null && termA == nodes[b].TermAt(index))
                    {
                        for (var earlier = index.Previous(); earlier > LogIndex.Zero; earlier = earlier.Previous())
                        {
                            var x = nodes[a].TermAt(earlier);
                            var y = nodes[b].TermAt(earlier);
                            if (x is null || y is null)
                            {
                                break; // compacted on one side
                            }
                            Assert.True(x == y, $"seed {seed}: {nodes[a].Id} and {nodes[b].Id} agree at {index} but differ at {earlier}");
                        }
                        break;
                    }
                }
            }
        }
    }

    /// <summary>Every replica's applied commands are a prefix of the longest sequence applied anywhere.</summary>
    private static void AssertSameAppliedPrefix(RaftNetwork network, int seed)
    {
        var applied = Enumerable.Range(1, 5).Select(network.AppliedCommands).ToList();
        var longest = applied.MaxBy(list => list.Count)!;
        foreach (var list in applied)
        {
            Assert.True(list.SequenceEqual(longest.Take(list.Count)), $"seed {seed}: applied sequences diverge");
        }
    }
}
