using AkkaKv.Sharding.Placement;
using AkkaKv.TestKit.Simulation;

namespace AkkaKv.Sharding.Tests.Simulation;

/// <summary>
/// Deterministic simulation of placement at cluster scale: the coordinator (with its durable store) over simulated
/// shard groups, while nodes join, crash and come back, are drained and leave, the coordinator is restarted (a new
/// one loading what was stored) and the placement group becomes unavailable — with steps that fail or whose answers
/// are lost. Checked for every seed: no step ever removes a live voter the shard needs or leaves it without a quorum;
/// configuration numbers never go back across coordinators; and in the end the recorded configuration equals the
/// groups' own memberships, every shard has its voters on live nodes, and replicas and leaders are balanced within ±1.
/// Method: the production <see cref="PlacementCoordinator"/> in a <see cref="SimMailbox"/> on virtual time
/// (<see cref="SimRuntime"/>); each case prints its seed and replays from it
/// (<c>--filter "DisplayName~seed: N"</c>).
/// </summary>
public sealed class PlacementSimulationTests(ITestOutputHelper output)
{
    private const int DataShards = 12;
    private static readonly ShardId PlacementShard = new(1_000);

    /// <summary>Seeds 1..100 (CI), or 1..N with <c>AKKAKV_SIM_SEEDS=N</c> for a longer search.</summary>
    public static IEnumerable<object[]> Seeds =>
        Enumerable.Range(1, int.TryParse(Environment.GetEnvironmentVariable("AKKAKV_SIM_SEEDS"), out var count) && count > 0 ? count : 100).Select(seed => new object[] { seed });

    private static NodeId N(int i) => new((ulong)i);

    [Theory]
    [MemberData(nameof(Seeds))]
    public void Placement_converges_safely_through_joins_crashes_drains_and_coordinator_restarts(int seed)
    {
        output.WriteLine($"seed {seed}");
        var random = new Random(seed);
        var environment = new SimRuntime(seed);
        var events = new List<PlacementEvent>();
        SimulatedShardGroups? checkedGroups = null;
        var epochViolations = new List<string>();
        // Fencing by epoch is only safe when a configuration never records an epoch ahead of its group's.
        void CheckEpochs(PlacementEvent placement)
        {
            if (placement is ShardMapChanged changed && checkedGroups is not null)
            {
                epochViolations.AddRange(changed.Map.Shards.Values
                    .Where(shard => shard.Epoch > checkedGroups.EpochOf(shard.Shard))
                    .Select(shard => $"configuration {changed.Map.Number}: {shard.Shard} at epoch {shard.Epoch}, ahead of its group's {checkedGroups.EpochOf(shard.Shard)}"));
            }
        }
        var options = new PlacementCoordinatorOptions
        {
            Placement = new PlacementOptions { Replicas = 3, MaxConcurrentMoves = random.Next(1, 9), PlacementShard = PlacementShard, PlacementReplicas = 5 },
            RoundInterval = TimeSpan.FromSeconds(1),
            ReplaceDownAfter = TimeSpan.FromSeconds(20),
        };
        var shards = Enumerable.Range(0, DataShards).Select(i => new ShardId((uint)i)).Append(PlacementShard).ToList();
        var members = new Dictionary<NodeId, PlacementNodeState> { [N(1)] = PlacementNodeState.Active };
        var draining = new HashSet<NodeId>();
        var groups = new SimulatedShardGroups(random, environment.Time,
            shard => Math.Min(shard == PlacementShard ? 5 : 3, members.Count(pair => pair.Value == PlacementNodeState.Active && !draining.Contains(pair.Key))));
        groups.Bootstrap(shards, N(1));
        checkedGroups = groups;
        var store = new InMemoryPlacementGroup();
        var initial = ShardMap.Bootstrap(shards, N(1));
        var generation = 0;
        void Collect(object notification)
        {
            if (notification is PlacementEvent placement)
            {
                events.Add(placement);
                CheckEpochs(placement);
            }
        }
        (PlacementCoordinator Core, SimMailbox Mailbox) StartCoordinator()
        {
            PlacementCoordinator? core = null;
            var mailbox = environment.CreateMailbox($"coordinator-{++generation}", message =>
            {
                if (!core!.Handle(message))
                {
                    throw new InvalidOperationException($"the coordinator does not handle {message}");
                }
            }, publish: Collect);
            core = new PlacementCoordinator(initial, options, groups, new PlacementStore(store.SendAsync), mailbox);
            core.Start();
            return (core, mailbox);
        }
        // As the node's host does: a new coordinator only once the running one has stopped.
        var coordinator = StartCoordinator();
        bool CoordinatorStopped() => coordinator.Mailbox.IsStopped;
        void Observe() => coordinator.Mailbox.Post(new NodesObserved([.. members.Select(pair => new PlacementNode(pair.Key, pair.Value))]));
        Observe();
        var nextNode = 2;
        var handledEvents = 0;
        void LeaveDrainedNodes()
        {
            foreach (var drained in events.Skip(handledEvents).OfType<NodeDrained>().Where(drained => members.ContainsKey(drained.Node)).ToList())
            {
                members.Remove(drained.Node); // it leaves the cluster and stops
                draining.Remove(drained.Node);
                groups.Crash(drained.Node);
                output.WriteLine($"{environment.Time.GetUtcNow():mm:ss} {drained.Node} drained, left");
                Observe();
            }
            handledEvents = events.Count;
        }

        for (var round = 0; round < 40; round++)
        {
            var active = members.Where(pair => pair.Value == PlacementNodeState.Active).Select(pair => pair.Key).Order().ToList();
            var crashed = members.Where(pair => pair.Value == PlacementNodeState.Unreachable).Select(pair => pair.Key).ToList();
            switch (random.Next(7))
            {
                case 0 or 1 when nextNode <= 6:
                    var joining = N(nextNode++);
                    members[joining] = PlacementNodeState.Active;
                    groups.Up.Add(joining);
                    output.WriteLine($"{environment.Time.GetUtcNow():mm:ss} {joining} joins");
                    break;
                case 2 when active.Count >= 3 && crashed.Count == 0:
                    var victim = active[random.Next(active.Count)];
                    members[victim] = PlacementNodeState.Unreachable;
                    groups.Crash(victim);
                    output.WriteLine($"{environment.Time.GetUtcNow():mm:ss} {victim} crashes");
                    break;
                case 3 when crashed.Count > 0:
                    members[crashed[0]] = PlacementNodeState.Active;
                    groups.Restart(crashed[0]);
                    output.WriteLine($"{environment.Time.GetUtcNow():mm:ss} {crashed[0]} is back");
                    break;
                case 4 when active.Count(node => !draining.Contains(node)) >= 4:
                    var drained = active[random.Next(active.Count)];
                    var recorded = new PlacementStore(store.SendAsync).SetDrainingAsync(drained, true, CancellationToken.None);
                    if (recorded.IsCompletedSuccessfully) // the in-memory group answers at once
                    {
                        draining.Add(drained);
                        output.WriteLine($"{environment.Time.GetUtcNow():mm:ss} {drained} is being drained");
                    }
                    break;
                case 5:
                    coordinator.Mailbox.Stop();
                    coordinator = StartCoordinator();
                    output.WriteLine($"{environment.Time.GetUtcNow():mm:ss} the coordinator restarts ({generation})");
                    break;
                case 6 when store.Available:
                    store.Available = false;
                    output.WriteLine($"{environment.Time.GetUtcNow():mm:ss} the placement group is unavailable");
                    break;
                default:
                    store.Available = true;
                    break;
            }
            Observe();
            environment.Advance(TimeSpan.FromSeconds(random.Next(1, 20)));
            if (Environment.GetEnvironmentVariable("AKKAKV_SIM_TRACE_NUMBERS") is not null)
            {
                output.WriteLine($"NUMBERS gen {generation}: {string.Join(',', events.Skip(handledEvents).OfType<ShardMapChanged>().Select(changed => changed.Map.Number))}");
            }
            LeaveDrainedNodes();
            if (CoordinatorStopped())
            {
                coordinator = StartCoordinator(); // the host starts another while the node still leads
            }
            Observe();
        }

        // Heal: every crashed node is back, the placement group answers.
        foreach (var node in members.Where(pair => pair.Value == PlacementNodeState.Unreachable).Select(pair => pair.Key).ToList())
        {
            members[node] = PlacementNodeState.Active;
            groups.Restart(node);
        }
        store.Available = true;
        Observe();
        string problem = "";
        var converged = environment.RunUntil(() =>
        {
            if (CoordinatorStopped())
            {
                coordinator = StartCoordinator();
                Observe();
            }
            LeaveDrainedNodes();
            problem = Problem(CoordinatorStopped() ? null : coordinator.Core.History.Current, groups, [.. members.Keys.Where(node => !draining.Contains(node))]);
            return problem.Length == 0;
        }, TimeSpan.FromMinutes(30));

        output.WriteLine($"{groups.Applied} steps applied ({groups.Lost} with the answer lost), {generation} coordinators, {events.OfType<PlacementCorrected>().Count()} corrections");
        if (Environment.GetEnvironmentVariable("AKKAKV_SIM_TRACE_SHARD") is { } traced)
        {
            foreach (var placementEvent in events.Where(e => e.ToString().Contains($"Shard = s{traced},", StringComparison.Ordinal) || e is PlacementCorrected c && c.Shard.Value.ToString(System.Globalization.CultureInfo.InvariantCulture) == traced))
            {
                output.WriteLine($"TRACE {placementEvent}");
            }
        }
        foreach (var violation in groups.Violations)
        {
            output.WriteLine($"VIOLATION {violation}");
        }
        Assert.Empty(groups.Violations);
        Assert.Empty(epochViolations);
        Assert.True(converged, $"seed {seed}: not converged: {problem}");
        var numbers = events.OfType<ShardMapChanged>().Select(changed => changed.Map.Number).ToList();
        Assert.True(numbers.Zip(numbers.Skip(1)).All(pair => pair.Second >= pair.First), $"seed {seed}: configuration numbers went back: {string.Join(',', numbers)}");
    }

    /// <summary>Why the placement is not yet where it must end, or empty when it is.</summary>
    private static string Problem(ShardMap? map, SimulatedShardGroups groups, IReadOnlyCollection<NodeId> nodes)
    {
        if (map is null)
        {
            return "no coordinator answered";
        }
        foreach (var shard in map.Shards.Values)
        {
            var (voters, learners) = groups.Membership(shard.Shard);
            var wanted = Math.Min(shard.Shard == PlacementShard ? 5 : 3, nodes.Count);
            if (!shard.Voters.SetEquals(voters) || !shard.Learners.SetEquals(learners))
            {
                return $"{shard.Shard}: recorded voters [{string.Join(',', shard.Voters)}] learners [{string.Join(',', shard.Learners)}], the group has [{string.Join(',', voters)}] [{string.Join(',', learners)}]";
            }
            if (shard.Epoch != groups.EpochOf(shard.Shard))
            {
                return $"{shard.Shard}: recorded epoch {shard.Epoch}, the group's is {groups.EpochOf(shard.Shard)}";
            }
            if (shard.Voters.Count != wanted || shard.Learners.Count > 0 || !shard.Voters.All(nodes.Contains))
            {
                return $"{shard.Shard}: voters [{string.Join(',', shard.Voters)}], learners [{string.Join(',', shard.Learners)}], {wanted} voters wanted on [{string.Join(',', nodes)}]";
            }
        }
        var replicas = map.ReplicaCounts(nodes);
        var leaders = map.LeaderCounts(nodes);
        if (replicas.Values.Max() - replicas.Values.Min() > 1 || leaders.Values.Max() - leaders.Values.Min() > 1)
        {
            return $"unbalanced: replicas {string.Join(',', replicas.Select(pair => $"{pair.Key}={pair.Value}"))}; leaders {string.Join(',', leaders.Select(pair => $"{pair.Key}={pair.Value}"))}";
        }
        return "";
    }
}
