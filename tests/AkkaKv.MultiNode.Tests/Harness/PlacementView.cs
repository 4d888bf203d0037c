namespace AkkaKv.MultiNode.Tests.Harness;

/// <summary>A node's answer to <c>GET /v1/shards</c>: a numbered configuration.</summary>
public sealed record PlacementView(long Configuration, string? Coordinator, IReadOnlyList<ShardView> Shards, ShardView? Placement)
{
    /// <summary>Data shards and the placement group.</summary>
    public IEnumerable<ShardView> AllGroups => Placement is null ? Shards : [.. Shards, Placement];

    /// <summary>Replicas (voters and learners, placement group included) per node.</summary>
    public IReadOnlyDictionary<string, int> ReplicaCounts => AllGroups.SelectMany(shard => shard.Replicas).GroupBy(replica => replica.Node).ToDictionary(group => group.Key, group => group.Count());

    /// <summary>Leaderships (placement group included) per node.</summary>
    public IReadOnlyDictionary<string, int> LeaderCounts => AllGroups.Where(shard => shard.Leader is not null).GroupBy(shard => shard.Leader!).ToDictionary(group => group.Key, group => group.Count());

    /// <summary>True when every data shard has <paramref name="voters"/> voters on distinct nodes among <paramref name="nodes"/> and no learner.</summary>
    public bool Settled(int voters, IReadOnlyCollection<string> nodes) =>
        Shards.All(shard => shard.Voters.Count == voters && shard.Learners.Count == 0 && shard.Voters.All(nodes.Contains));

    /// <summary>True when replica and leader counts of <paramref name="nodes"/> are each within ±1.</summary>
    public bool Balanced(IReadOnlyCollection<string> nodes)
    {
        int Spread(IReadOnlyDictionary<string, int> counts) => nodes.Max(node => counts.GetValueOrDefault(node)) - nodes.Min(node => counts.GetValueOrDefault(node));
        return Spread(ReplicaCounts) <= 1 && Spread(LeaderCounts) <= 1;
    }

    public string Describe() =>
        $"configuration {Configuration}, coordinator {Coordinator ?? "-"}\n" +
        string.Join('\n', AllGroups.Select(shard => $"  {shard.Id}: epoch {shard.Epoch}, leader {shard.Leader ?? "-"}, voters [{string.Join(',', shard.Voters)}], learners [{string.Join(',', shard.Learners)}]"));
}

/// <summary>One shard in a <see cref="PlacementView"/>.</summary>
public sealed record ShardView(uint Id, long Epoch, string? Leader, IReadOnlyList<ReplicaView> Replicas)
{
    public IReadOnlyList<string> Voters => [.. Replicas.Where(replica => replica.Role == "voter").Select(replica => replica.Node)];

    public IReadOnlyList<string> Learners => [.. Replicas.Where(replica => replica.Role == "learner").Select(replica => replica.Node)];
}

/// <summary>A replica in a <see cref="ShardView"/>.</summary>
public sealed record ReplicaView(string Node, string Role);
