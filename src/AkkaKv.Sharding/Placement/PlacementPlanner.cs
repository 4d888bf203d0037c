namespace AkkaKv.Sharding.Placement;

/// <summary>
/// The coordinator's brain, pure and deterministic: from the current <see cref="ShardMap"/>, the nodes and which
/// learners have caught up, the next steps — at most one per shard, and membership changes on at most
/// <see cref="PlacementOptions.MaxConcurrentMoves"/> shards at once. In order of urgency: learners are promoted once
/// caught up (or dropped when their node is going); leaders move off leaving nodes; surplus voters are removed (those
/// on leaving or gone nodes first, never the leader); shards short of healthy voters get a learner on the least
/// loaded node; then, when every shard is settled, replicas move from the most to the least loaded node until counts
/// are within ±1, and leaders likewise by transfer. A surplus voter is removed in this order: one on a gone node, one on
/// an unreachable node, one on a leaving node (once enough active voters remain without it), the one a move replaces,
/// the one on the most loaded node. Repeated planning and applying converges (property-tested); no
/// step ever removes a shard's last voter or a replica before its replacement is a voter.
/// </summary>
public static class PlacementPlanner
{
    public static IReadOnlyList<PlacementStep> Plan(ShardMap map, IReadOnlyList<PlacementNode> nodes, PlacementOptions options, Func<ShardId, NodeId, bool> learnerCaughtUp)
    {
        ArgumentNullException.ThrowIfNull(map);
        ArgumentNullException.ThrowIfNull(nodes);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(learnerCaughtUp);
        var states = nodes.ToDictionary(node => node.Node, node => node.State);
        var active = nodes.Where(node => node.State == PlacementNodeState.Active).Select(node => node.Node).Order().ToList();
        // An unreachable node still counts (it may come back, and its replicas are not replaced before replace-down-after),
        // but only active nodes receive new replicas and leaderships.
        var capacity = active.Count + nodes.Count(node => node.State == PlacementNodeState.Unreachable);
        if (active.Count == 0)
        {
            return []; // nowhere to place anything
        }
        bool Healthy(NodeId node) => states.TryGetValue(node, out var state) && state is PlacementNodeState.Active or PlacementNodeState.Unreachable;
        bool Active(NodeId node) => states.TryGetValue(node, out var state) && state == PlacementNodeState.Active;
        var replicaCounts = map.ReplicaCounts(active);
        var leaderCounts = map.LeaderCounts(active);
        var inMotion = map.Shards.Values.Count(shard => shard.Learners.Count > 0);
        var steps = new List<PlacementStep>();
        var settled = true;

        foreach (var shard in map.Shards.Values)
        {
            var replicas = Math.Min(options.ReplicasOf(shard.Shard), capacity);
            if (shard.Learners.Count > 0)
            {
                settled = false;
                var learner = shard.Learners.Min;
                if (!Healthy(learner))
                {
                    steps.Add(new RemoveReplica(shard.Shard, learner) { Reason = $"the learner's node {learner} is leaving or gone" });
                }
                else if (Active(learner) && learnerCaughtUp(shard.Shard, learner)) // never make a voter of an unreachable node
                {
                    steps.Add(new PromoteLearner(shard.Shard, learner) { Reason = "the learner has caught up" });
                }
                continue; // one change at a time per shard; a learner still catching up is waited for
            }
            var bad = shard.Voters.Where(voter => !Healthy(voter)).ToList();
            var healthyVoters = shard.Voters.Count - bad.Count;
            if (bad.Count > 0 || shard.Voters.Count != replicas || !shard.Voters.All(Active))
            {
                settled = false; // no balancing while a replica is missing, extra, or on a node that is not answering
            }
            if (!Healthy(shard.Leader) && states.GetValueOrDefault(shard.Leader) == PlacementNodeState.Leaving && healthyVoters > 0)
            {
                var to = LeastOrNone(shard.Voters.Where(Active), voter => (leaderCounts.GetValueOrDefault(voter), voter));
                if (!to.IsNone)
                {
                    steps.Add(new TransferLeader(shard.Shard, to) { Reason = $"the leader's node {shard.Leader} is leaving" });
                    leaderCounts[to] = leaderCounts.GetValueOrDefault(to) + 1;
                }
                continue;
            }
            var leavingMustWait = false;
            if (shard.Voters.Count > replicas)
            {
                if (states.GetValueOrDefault(shard.Leader) == PlacementNodeState.Unreachable)
                {
                    continue; // the recorded leader does not answer: wait until the group's new leader is reported
                }
                PlacementNodeState StateOf(NodeId voter) => states.GetValueOrDefault(voter, PlacementNodeState.Gone);
                var others = shard.Voters.Where(voter => voter != shard.Leader).Order().ToList();
                // The surplus voter, in this order: one on a gone node; one on an unreachable node (removing a live
                // voter while another is down would leave no replica to spare, or no quorum); one on a leaving node, once
                // enough active voters remain without it (else its replacement is added first); the one a move
                // replaces; the one on the most loaded node.
                var victim = others.FirstOrDefault(voter => StateOf(voter) == PlacementNodeState.Gone);
                var reason = $"{victim} is gone";
                if (victim.IsNone)
                {
                    victim = others.FirstOrDefault(voter => StateOf(voter) == PlacementNodeState.Unreachable);
                    reason = $"{victim} does not answer";
                }
                if (victim.IsNone && others.Any(voter => StateOf(voter) == PlacementNodeState.Leaving))
                {
                    victim = others.FirstOrDefault(voter => StateOf(voter) == PlacementNodeState.Leaving && shard.Voters.Count(other => other != voter && Active(other)) >= replicas);
                    reason = $"{victim} is leaving";
                    leavingMustWait = victim.IsNone;
                }
                if (victim.IsNone && !leavingMustWait && shard.Voters.Contains(shard.Replacing) && Healthy(shard.Replacing))
                {
                    victim = shard.Replacing;
                    reason = $"its replacement is a voter now";
                }
                if (victim.IsNone && !leavingMustWait && !Healthy(shard.Leader))
                {
                    continue; // the surplus is the leaving leader's replica: its leadership moves first
                }
                if (victim.IsNone && !leavingMustWait)
                {
                    victim = LeastOrNone(others, voter => (-replicaCounts.GetValueOrDefault(voter), voter), descending: true);
                    reason = $"{shard.Voters.Count} voters, {replicas} wanted; {victim} holds the most replicas";
                }
                if (victim == shard.Leader)
                {
                    var to = LeastOrNone(shard.Voters.Where(voter => voter != victim && Active(voter)), voter => (leaderCounts.GetValueOrDefault(voter), voter));
                    if (!to.IsNone)
                    {
                        steps.Add(new TransferLeader(shard.Shard, to) { Reason = $"its replica on {victim} is to be removed" });
                        leaderCounts[to] = leaderCounts.GetValueOrDefault(to) + 1;
                    }
                    continue;
                }
                if (!victim.IsNone)
                {
                    steps.Add(new RemoveReplica(shard.Shard, victim) { Reason = reason });
                    replicaCounts[victim] = replicaCounts.GetValueOrDefault(victim) - 1;
                    continue;
                }
            }
            if ((healthyVoters < replicas || leavingMustWait) && inMotion < options.MaxConcurrentMoves)
            {
                var target = LeastOrNone(active.Where(node => !shard.IsOn(node)), node => (replicaCounts[node], node));
                if (!target.IsNone)
                {
                    steps.Add(new AddLearner(shard.Shard, target, bad.Count > 0 ? bad.Min() : default)
                    {
                        Reason = bad.Count > 0 ? $"replacing the replica on {string.Join(',', bad)}" : $"{healthyVoters} healthy voters, {replicas} wanted",
                    });
                    replicaCounts[target]++;
                    inMotion++;
                }
            }
        }
        if (!settled || steps.Count > 0)
        {
            return steps;
        }
        BalanceReplicas(map, active, replicaCounts, options.MaxConcurrentMoves - inMotion, steps);
        if (steps.Count == 0)
        {
            BalanceLeaders(map, active, leaderCounts, steps);
        }
        return steps;
    }

    /// <summary>The node with the smallest key (with <paramref name="descending"/>, the largest node id among equal keys), or <see cref="NodeId.None"/> when there is none.</summary>
    private static NodeId LeastOrNone(IEnumerable<NodeId> nodes, Func<NodeId, (int, NodeId)> key, bool descending = false)
    {
        var found = false;
        var best = NodeId.None;
        (int Count, NodeId Node) bestKey = default;
        foreach (var node in nodes)
        {
            var candidate = key(node);
            var better = !found || candidate.Item1 < bestKey.Count ||
                (candidate.Item1 == bestKey.Count && (descending ? candidate.Item2 > bestKey.Node : candidate.Item2 < bestKey.Node));
            if (better)
            {
                (found, best, bestKey) = (true, node, candidate);
            }
        }
        return best;
    }

    /// <summary>Moves replicas from the most to the least loaded node (a learner first; the surplus voter goes later).</summary>
    private static void BalanceReplicas(ShardMap map, List<NodeId> active, Dictionary<NodeId, int> counts, int budget, List<PlacementStep> steps)
    {
        var moving = new HashSet<ShardId>();
        while (budget-- > 0)
        {
            var most = active.MaxBy(node => (counts[node], node));
            var least = active.MinBy(node => (counts[node], node));
            if (counts[most] - counts[least] <= 1)
            {
                return;
            }
            var shard = map.Shards.Values.FirstOrDefault(shard => !moving.Contains(shard.Shard) && shard.Voters.Contains(most) && !shard.IsOn(least));
            if (shard is null)
            {
                return;
            }
            steps.Add(new AddLearner(shard.Shard, least, most) { Reason = $"rebalancing: {most} holds {counts[most]} replicas, {least} {counts[least]}" });
            moving.Add(shard.Shard);
            counts[least]++;
            counts[most]--;
        }
    }

    /// <summary>
    /// Balances leaders by transfer: while a node leads at least two more shards than another, finds the shortest chain
    /// of transfers from a most-loaded leader to a node leading at least two fewer (each hop: a shard led by one node
    /// that has a voter on the next) and applies it — the ends change by one, the nodes between keep their count.
    /// </summary>
    private static void BalanceLeaders(ShardMap map, List<NodeId> active, Dictionary<NodeId, int> counts, List<PlacementStep> steps)
    {
        var moved = new HashSet<ShardId>();
        while (true)
        {
            var highest = active.Max(node => counts[node]);
            if (highest - active.Min(node => counts[node]) <= 1)
            {
                return;
            }
            var path = ShortestTransferChain(map, active, counts, moved, highest);
            if (path is null)
            {
                return; // no chain of voters connects them; replica moves would be needed
            }
            foreach (var (shard, to) in path)
            {
                steps.Add(new TransferLeader(shard.Shard, to) { Reason = $"balancing leaders: {shard.Leader} leads {counts[shard.Leader]}, {to} {counts[to]}" });
                moved.Add(shard.Shard);
            }
            counts[path[0].Shard.Leader]--;
            counts[path[^1].To]++;
        }
    }

    private static List<(ShardReplicas Shard, NodeId To)>? ShortestTransferChain(ShardMap map, List<NodeId> active, Dictionary<NodeId, int> counts, HashSet<ShardId> moved, int highest)
    {
        var reachedBy = new Dictionary<NodeId, (ShardReplicas Shard, NodeId From)?>();
        var queue = new Queue<NodeId>();
        foreach (var node in active.Where(node => counts[node] == highest))
        {
            reachedBy[node] = null;
            queue.Enqueue(node);
        }
        while (queue.Count > 0)
        {
            var from = queue.Dequeue();
            foreach (var shard in map.Shards.Values.Where(shard => shard.Leader == from && !moved.Contains(shard.Shard)))
            {
                foreach (var to in shard.Voters.Where(voter => counts.ContainsKey(voter) && !reachedBy.ContainsKey(voter)))
                {
                    reachedBy[to] = (shard, from);
                    if (counts[to] <= highest - 2)
                    {
                        var path = new List<(ShardReplicas, NodeId)>();
                        for (var at = to; reachedBy[at] is { } hop; at = hop.From)
                        {
                            path.Add((hop.Shard, at));
                        }
                        path.Reverse();
                        return path;
                    }
                    queue.Enqueue(to);
                }
            }
        }
        return null;
    }
}
