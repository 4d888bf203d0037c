using System.Collections.Immutable;

namespace AkkaKv.Sharding.Placement;

/// <summary>
/// A numbered configuration of the whole key space: every shard's replicas. Each change makes the next number, so
/// the current and every past configuration can be named (<c>GET /v1/config/{n}</c>). Pure: applying a step returns
/// a new map.
/// </summary>
public sealed record ShardMap(long Number, ImmutableSortedDictionary<ShardId, ShardReplicas> Shards)
{
    /// <summary>The first configuration: <paramref name="shardCount"/> shards, each with a single voter (and leader) on <paramref name="node"/>.</summary>
    public static ShardMap Bootstrap(int shardCount, NodeId node)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(shardCount, 1);
        return Bootstrap(Enumerable.Range(0, shardCount).Select(i => new ShardId((uint)i)), node);
    }

    /// <summary>
    /// The first configuration: each of <paramref name="shards"/> with a single voter (and leader) on <paramref name="node"/>,
    /// at epoch 0 — never ahead of the group's own epoch (<see cref="Raft.ConfState.Index"/>), which the coordinator records
    /// once the group reports it.
    /// </summary>
    public static ShardMap Bootstrap(IEnumerable<ShardId> shards, NodeId node)
    {
        ArgumentNullException.ThrowIfNull(shards);
        var builder = ImmutableSortedDictionary.CreateBuilder<ShardId, ShardReplicas>();
        foreach (var shard in shards)
        {
            builder[shard] = new ShardReplicas(shard, 0, [node], [], node);
        }
        ArgumentOutOfRangeException.ThrowIfZero(builder.Count, nameof(shards));
        return new ShardMap(1, builder.ToImmutable());
    }

    /// <summary>Replicas (voters and learners) per node, including nodes in <paramref name="nodes"/> that hold none.</summary>
    public Dictionary<NodeId, int> ReplicaCounts(IEnumerable<NodeId> nodes)
    {
        var counts = nodes.ToDictionary(node => node, _ => 0);
        foreach (var node in Shards.Values.SelectMany(shard => shard.Nodes))
        {
            counts[node] = counts.GetValueOrDefault(node) + 1;
        }
        return counts;
    }

    /// <summary>Leaders per node, including nodes in <paramref name="nodes"/> that lead none.</summary>
    public Dictionary<NodeId, int> LeaderCounts(IEnumerable<NodeId> nodes)
    {
        var counts = nodes.ToDictionary(node => node, _ => 0);
        foreach (var shard in Shards.Values.Where(shard => !shard.Leader.IsNone))
        {
            counts[shard.Leader] = counts.GetValueOrDefault(shard.Leader) + 1;
        }
        return counts;
    }

    /// <summary>
    /// The configuration after <paramref name="step"/>: membership steps raise the shard's epoch; a leader transfer
    /// only records the new leader. Every step makes the next configuration number.
    /// </summary>
    /// <exception cref="InvalidOperationException">The step does not fit the shard (it would lose a replica's data or the last voter).</exception>
    public ShardMap Apply(PlacementStep step)
    {
        ArgumentNullException.ThrowIfNull(step);
        var current = Shards.TryGetValue(step.Shard, out var found) ? found : throw new InvalidOperationException($"no shard {step.Shard}");
        var next = step switch
        {
            AddLearner add when !current.IsOn(add.Node) => current with { Epoch = current.Epoch + 1, Learners = current.Learners.Add(add.Node), Replacing = add.Replacing },
            PromoteLearner promote when current.Learners.Contains(promote.Node) =>
                current with { Epoch = current.Epoch + 1, Learners = current.Learners.Remove(promote.Node), Voters = current.Voters.Add(promote.Node) },
            RemoveReplica remove when current.Learners.Contains(remove.Node) =>
                current with { Epoch = current.Epoch + 1, Learners = current.Learners.Remove(remove.Node), Replacing = default },
            RemoveReplica remove when current.Voters.Contains(remove.Node) && current.Voters.Count > 1 && current.Leader != remove.Node =>
                current with { Epoch = current.Epoch + 1, Voters = current.Voters.Remove(remove.Node), Replacing = remove.Node == current.Replacing ? default : current.Replacing },
            TransferLeader transfer when current.Voters.Contains(transfer.To) => current with { Leader = transfer.To },
            _ => throw new InvalidOperationException($"{step} does not fit {step.Shard} (voters [{string.Join(',', current.Voters)}], learners [{string.Join(',', current.Learners)}], leader {current.Leader})"),
        };
        return this with { Number = Number + 1, Shards = Shards.SetItem(step.Shard, next) };
    }
}
