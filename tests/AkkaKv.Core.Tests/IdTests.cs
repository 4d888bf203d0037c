namespace AkkaKv.Core.Tests;

/// <summary>The value-type ids order, step and print as the rest of the system expects.</summary>
public sealed class IdTests
{
    [Fact]
    public void Terms_compare_by_value_and_step_by_one()
    {
        var term = new Term(7);
        Assert.True(term.Next() > term);
        Assert.Equal(new Term(8), term.Next());
        Assert.Equal("t7", term.ToString());
    }

    [Fact]
    public void Log_index_previous_of_zero_is_an_invariant_violation()
    {
        Assert.Throws<InvariantViolationException>(() => LogIndex.Zero.Previous());
        Assert.Equal(new LogIndex(4), new LogIndex(5).Previous());
        Assert.Equal(new LogIndex(3), LogIndex.Min(new LogIndex(3), new LogIndex(9)));
        Assert.Equal(new LogIndex(9), LogIndex.Max(new LogIndex(3), new LogIndex(9)));
    }

    [Fact]
    public void Term_overflow_is_detected_not_wrapped() =>
        Assert.Throws<OverflowException>(() => new Term(ulong.MaxValue).Next());

    [Fact]
    public void Node_zero_is_none_and_ids_sort()
    {
        Assert.True(NodeId.None.IsNone);
        Assert.False(new NodeId(1).IsNone);
        var sorted = new[] { new ShardId(3), new ShardId(1), new ShardId(2) }.Order().ToArray();
        Assert.Equal([new ShardId(1), new ShardId(2), new ShardId(3)], sorted);
        Assert.Equal("s3", new ShardId(3).ToString());
        Assert.Equal("n4", new NodeId(4).ToString());
    }

    [Fact]
    public void A_node_id_derived_from_a_name_is_stable_across_processes_and_distinct_for_distinct_names()
    {
        // FNV-1a 64 of "node1", computed independently: a change here would re-identify every deployed node.
        Assert.Equal(new NodeId(14577794042753658644UL), NodeId.FromName("node1"));
        Assert.Equal(NodeId.FromName("node1"), NodeId.FromName("node1"));
        var ids = Enumerable.Range(1, 1000).Select(i => NodeId.FromName($"node{i}")).ToHashSet();
        Assert.Equal(1000, ids.Count);
        Assert.DoesNotContain(NodeId.None, ids);
        Assert.Throws<ArgumentException>(() => NodeId.FromName(""));
    }
}
