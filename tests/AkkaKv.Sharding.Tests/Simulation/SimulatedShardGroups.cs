using AkkaKv.Raft;
using AkkaKv.Sharding.Placement;

namespace AkkaKv.Sharding.Tests.Simulation;

/// <summary>
/// The truth of the simulation: every shard group's membership and leader as its Raft log has them, and which nodes
/// are up. Placement steps are carried out on it as the real groups would — only by a leader with a quorum, never
/// removing the leader — and may fail (not applied) or be applied with the answer lost (outcome unknown), at random.
/// Learners catch up a random while after they are added. Every applied removal is checked for safety: it keeps a
/// quorum, and never takes the live voters below what the shard wants (<paramref name="wantedVoters"/>: fewer while
/// fewer nodes are active and staying).
/// </summary>
internal sealed class SimulatedShardGroups(Random random, TimeProvider time, Func<ShardId, int> wantedVoters) : IPlacementExecutor
{
    private sealed class Group
    {
        public HashSet<NodeId> Voters { get; } = [];
        public Dictionary<NodeId, DateTimeOffset> Learners { get; } = [];
        public NodeId Leader { get; set; }
        public ulong Term { get; set; } = 1;

        /// <summary>The group's last log index: client writes and membership changes raise it.</summary>
        public ulong LastIndex { get; set; } = 1;

        /// <summary>The log index of the last applied membership change (Raft's <see cref="ConfState.Index"/>).</summary>
        public ulong Epoch { get; set; } = 1;
    }

    private readonly Dictionary<ShardId, Group> _groups = [];

    public HashSet<NodeId> Up { get; } = [];

    public List<string> Violations { get; } = [];

    public int Applied { get; private set; }

    public int Lost { get; private set; }

    public void Bootstrap(IEnumerable<ShardId> shards, NodeId node)
    {
        Up.Add(node);
        foreach (var shard in shards)
        {
            var group = new Group { Leader = node };
            group.Voters.Add(node);
            _groups[shard] = group;
        }
    }

    /// <summary>A node crashes: groups it led elect another leader among their live voters when they have a quorum.</summary>
    public void Crash(NodeId node)
    {
        Up.Remove(node);
        foreach (var group in _groups.Values.Where(group => group.Leader == node))
        {
            ElectIfPossible(group);
        }
    }

    public void Restart(NodeId node)
    {
        Up.Add(node);
        foreach (var group in _groups.Values.Where(group => !Up.Contains(group.Leader)))
        {
            ElectIfPossible(group);
        }
    }

    private void ElectIfPossible(Group group)
    {
        var live = group.Voters.Where(Up.Contains).Order().ToList();
        if (HasQuorum(group) && live.Count > 0)
        {
            group.Leader = live[random.Next(live.Count)];
            group.Term++;
        }
    }

    private bool HasQuorum(Group group) => group.Voters.Count(Up.Contains) * 2 > group.Voters.Count;

    private bool Serving(Group group) => Up.Contains(group.Leader) && HasQuorum(group);

    public (IReadOnlySet<NodeId> Voters, IReadOnlySet<NodeId> Learners) Membership(ShardId shard) =>
        (_groups[shard].Voters, _groups[shard].Learners.Keys.ToHashSet());

    public IEnumerable<ShardId> Shards => _groups.Keys;

    /// <summary>The group's configuration epoch: the log index of its last applied membership change.</summary>
    public long EpochOf(ShardId shard) => (long)_groups[shard].Epoch;

    public Task<bool> ExecuteAsync(PlacementStep step, CancellationToken cancellationToken)
    {
        var group = _groups[step.Shard];
        if (!Serving(group) || random.Next(10) == 0)
        {
            return Task.FromResult(false); // no leader, or refused: nothing applied
        }
        // Membership changes are idempotent, as in Raft: one already in effect is applied as a no-op.
        var applied = step switch
        {
            AddLearner add when group.Voters.Contains(add.Node) || group.Learners.ContainsKey(add.Node) => true,
            AddLearner add when Up.Contains(add.Node) => AddLearner(group, add.Node),
            PromoteLearner promote when group.Voters.Contains(promote.Node) => true,
            PromoteLearner promote when group.Learners.Remove(promote.Node) => group.Voters.Add(promote.Node),
            RemoveReplica remove when remove.Node == group.Leader => false,
            RemoveReplica remove => group.Learners.Remove(remove.Node) || RemoveVoter(remove, group) || !group.Voters.Contains(remove.Node),
            TransferLeader transfer when group.Voters.Contains(transfer.To) && Up.Contains(transfer.To) => Transfer(group, transfer.To),
            _ => false,
        };
        if (applied)
        {
            Applied++;
            if (step is not TransferLeader)
            {
                // Client writes came first; the change is an entry of its own, applied even when it changes nothing.
                group.LastIndex += 1 + (ulong)random.Next(0, 50);
                group.Epoch = group.LastIndex;
            }
        }
        if (applied && random.Next(20) == 0)
        {
            Lost++;
            return Task.FromException<bool>(new TimeoutException("the answer was lost")); // applied, but the coordinator cannot know
        }
        return Task.FromResult(applied);
    }

    private bool AddLearner(Group group, NodeId node)
    {
        group.Learners.TryAdd(node, time.GetUtcNow() + TimeSpan.FromMilliseconds(random.Next(0, 5_000)));
        return true;
    }

    private static bool Transfer(Group group, NodeId to)
    {
        if (group.Leader != to)
        {
            group.Leader = to;
            group.Term++;
        }
        return true;
    }

    /// <summary>Removes a voter, checking that no live replica is lost below what the shard should keep.</summary>
    private bool RemoveVoter(RemoveReplica step, Group group)
    {
        var (shard, node) = (step.Shard, step.Node);
        if (!group.Voters.Contains(node) || group.Voters.Count == 1)
        {
            return false;
        }
        var liveBefore = group.Voters.Count(Up.Contains);
        group.Voters.Remove(node);
        var liveAfter = group.Voters.Count(Up.Contains);
        if (liveAfter < Math.Min(liveBefore, wantedVoters(shard)))
        {
            Violations.Add($"{time.GetUtcNow():mm:ss} {shard}: removing {node} left {liveAfter} live voters of {liveBefore} [{string.Join(',', group.Voters)}], {wantedVoters(shard)} wanted; planned because: {step.Reason}");
        }
        if (!HasQuorum(group))
        {
            Violations.Add($"{shard}: removing {node} left the group without a quorum");
        }
        return true;
    }

    public Task<bool> IsCaughtUpAsync(ShardId shard, NodeId node, CancellationToken cancellationToken) =>
        Task.FromResult(_groups[shard].Learners.TryGetValue(node, out var ready) && Up.Contains(node) && time.GetUtcNow() >= ready && Serving(_groups[shard]));

    public Task<ShardStatus?> LeaderStatusAsync(ShardId shard, CancellationToken cancellationToken)
    {
        var group = _groups[shard];
        if (!Serving(group))
        {
            return Task.FromResult<ShardStatus?>(null);
        }
        var conf = new ConfState(group.Voters, group.Learners.Keys) { Index = new LogIndex(group.Epoch) };
        return Task.FromResult<ShardStatus?>(new ShardStatus(shard, group.Leader, RaftRole.Leader, new Term(group.Term), group.Leader,
            LogIndex.Zero, LogIndex.Zero, LogIndex.Zero, 0, 0, conf));
    }
}
