using AkkaKv.Persistence.Wal;
using AkkaKv.Raft;
using AkkaKv.Sharding;
using AkkaKv.Sharding.Placement;
using AkkaKv.Store;
using AkkaKv.TestKit.Linearizability;
using AkkaKv.TestKit.Simulation;

namespace AkkaKv.Simulation.Tests.Cluster;

/// <summary>
/// Deterministic simulation of the sharded cluster, on the seeded virtual-time scheduler (<see cref="SimRuntime"/>):
/// nodes (<see cref="SimClusterNode"/>: the production replica manager over a WAL on a simulated disk) holding the
/// production replicas of Raft groups — the data shards and the placement group — over a lossy, reordering network;
/// the production <see cref="PlacementCoordinator"/> with its store in the placement group, moving
/// replicas with real membership changes, snapshots and removals; the membership it is told (nodes join, crash and
/// come back, are drained and leave) and the wake-ups a node gives its replicas on membership changes; and clients
/// doing get/put/append/delete/compare-and-swap on keys spread over the shards. Faults: partitions, message loss,
/// duplication and delay, crashes with torn writes, restarts, coordinator restarts. Checked: Raft's safety inside
/// every replica, convergence (every shard placed as wanted on the live nodes, the configuration equal to what the
/// groups have), every key readable at the end, and the whole history linearizable.
/// </summary>
internal sealed class ClusterSimulator
{
    private const int DataShards = 4;
    private const int MaxNodes = 6;
    private static readonly TimeSpan StepLength = TimeSpan.FromMilliseconds(10);
    private static readonly TimeSpan FaultyPeriod = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan ConvergenceLimit = TimeSpan.FromSeconds(120);
    private static readonly ShardId PlacementShard = PlacementGroup.Shard;

    private readonly int _seed;
    private readonly bool _quiescence;
    private readonly SimOptions _options;
    private readonly Random _random;
    private readonly SimRuntime _runtime;
    private readonly DateTimeOffset _start;
    private readonly SimNetwork _network;
    private readonly string _directory;
    private readonly List<SimClusterNode> _nodes = [];
    private readonly Dictionary<NodeId, PlacementNodeState> _members = [];
    private readonly HashSet<NodeId> _left = [];
    private readonly HashSet<NodeId> _draining = [];
    private readonly List<KvOperation> _history = [];
    private readonly List<SimClient> _clients = [];
    private readonly List<string> _events = [];
    private readonly List<PlacementEvent> _placementEvents = [];
    private readonly SimSafetyChecker _safety = new();
    private readonly ShardPartitioner _partitioner = new(DataShards);
    private readonly RaftGroupOptions _groupOptions;
    private readonly WalOptions _walOptions;
    private readonly SimLog? _log;
    private SimAsk _ask = null!;
    private SimShardSender _sender = null!;
    private PlacementCoordinator _coordinator = null!;
    private SimMailbox _coordinatorMailbox = null!;
    private PlacementCoordinatorOptions _coordinatorOptions = null!;
    private int _generation;
    private int _handledEvents;
    private long _eventCounter;
    private TimeSpan _nextObservation;
    private TimeSpan _nextCoordinatorStart;

    private ClusterSimulator(int seed, bool quiescence, RaftDefects defects)
    {
        _seed = seed;
        _quiescence = quiescence;
        _random = new Random(seed);
        // Odd seeds run the nodes' logs on preallocated segments, small enough to roll often.
        _walOptions = seed % 2 == 0 ? new WalOptions() : new WalOptions { PreallocateSegments = true, SegmentBytes = 64 * 1024 };
        _options = new SimOptions
        {
            Seed = seed,
            Clients = 4,
            Keys = 8,
            MessageLoss = 0.01,
            MessageDuplication = 0.005,
            LongDelay = 0.01,
            ClientTimeout = TimeSpan.FromSeconds(3),
        };
        _runtime = new SimRuntime(seed);
        _start = _runtime.Time.GetUtcNow();
        _network = new SimNetwork(new Random(_random.Next()), _options, Now);
        _directory = Directory.CreateTempSubdirectory($"akkakv-cluster-sim-{seed}-").FullName;
        _log = SimLog.Enabled ? new SimLog(Now) : null;
        _groupOptions = new RaftGroupOptions
        {
            TickInterval = TimeSpan.FromMilliseconds(100),
            Raft = SimRaftOptions.For(quiescence) with { Defects = defects },
            SnapshotEveryEntries = 30,
            CompactionLagEntries = 5,
            Probe = _safety,
        };
    }

    public static SimResult Run(int seed, bool quiescence) => Run(seed, quiescence, RaftDefects.None);

    /// <summary>Runs seed <paramref name="seed"/>; <paramref name="defects"/> breaks Raft on purpose (tests of the checks only).</summary>
    internal static SimResult Run(int seed, bool quiescence, RaftDefects defects)
    {
        // Continuations of completed asks must run inline on this thread: with a synchronization context current (the
        // test framework's), .NET would queue them to the thread pool instead, and the run would not repeat.
        var context = SynchronizationContext.Current;
        SynchronizationContext.SetSynchronizationContext(null);
        var simulator = new ClusterSimulator(seed, quiescence, defects);
        try
        {
            return simulator.Run();
        }
        finally
        {
            SynchronizationContext.SetSynchronizationContext(context);
            Directory.Delete(simulator._directory, recursive: true);
        }
    }

    private TimeSpan Now() => _runtime.Time.GetUtcNow() - _start;

    private SimClusterNode? NodeOf(NodeId id) => _nodes.FirstOrDefault(node => node.Id == id);

    private SimResult Run()
    {
        _ask = new SimAsk(_runtime);
        _sender = new SimShardSender(_ask, () => _nodes);
        _coordinatorOptions = new PlacementCoordinatorOptions
        {
            Placement = new PlacementOptions { Replicas = 3, MaxConcurrentMoves = 1 + _random.Next(4), PlacementShard = PlacementShard, PlacementReplicas = 3 },
            RoundInterval = TimeSpan.FromMilliseconds(500),
            ReplaceDownAfter = TimeSpan.FromSeconds(5),
        };
        for (var i = 0; i < 3; i++)
        {
            AddNode();
        }
        Bootstrap();
        StartCoordinator();
        var targets = new ClusterTargets(_nodes, _partitioner);
        for (var i = 0; i < _options.Clients; i++)
        {
            _clients.Add(new SimClient(i, new Random(_random.Next()), _options, targets, _history, () => ++_eventCounter, Now, _runtime));
        }

        // Phase 1: load, faults and placement changes.
        while (Now() < FaultyPeriod)
        {
            InjectFaults();
            if (!_quiescence || Now().TotalSeconds % 6 < 3)
            {
                foreach (var client in _clients)
                {
                    client.MaybeIssue(0.3);
                }
            }
            if (Step() is { } violation)
            {
                return Fail(violation);
            }
        }

        // Phase 2: heal; every crashed member comes back; clients finish; the placement must converge.
        _network.Heal();
        foreach (var node in _nodes.Where(node => !node.IsUp && !_left.Contains(node.Id)))
        {
            node.Start();
            _members[node.Id] = PlacementNodeState.Active;
            Note($"restart {node.Id} (heal)");
            if (node == _nodes[0])
            {
                Bootstrap();
            }
        }
        MembershipChanged();
        var healedAt = Now();
        string problem;
        while ((problem = Problem()).Length > 0 || _clients.Any(client => !client.IsIdle))
        {
            if (Now() - healedAt > ConvergenceLimit)
            {
                return Fail($"not converged {ConvergenceLimit.TotalSeconds:0} s after healing: {(problem.Length > 0 ? problem : "clients still waiting")}");
            }
            for (var i = 0; i < 50; i++)
            {
                if (Step() is { } violation)
                {
                    return Fail(violation);
                }
            }
        }

        // Phase 3: every key read once more: acknowledged writes must all be there.
        for (var key = 0; key < _options.Keys; key++)
        {
            var reader = _clients[key % _clients.Count];
            reader.IssueRead($"k{key}");
            while (!reader.IsIdle)
            {
                if (Now() - healedAt > ConvergenceLimit + ConvergenceLimit)
                {
                    return Fail("final reads did not complete");
                }
                if (Step() is { } violation)
                {
                    return Fail(violation);
                }
            }
        }
        if (SimHistoryCheck.Failure(_history, _options.Keys, $"akkakv-cluster-sim-{_seed}", out var states) is { } failure)
        {
            return Fail(failure);
        }
        return new SimResult(_seed, null, Summary(states)) { QuiescingHeartbeats = _network.QuiescingHeartbeatsDelivered };
    }

    private void Bootstrap() =>
        _nodes[0].TellManager(new BootstrapCluster([.. Enumerable.Range(0, DataShards).Select(i => new ShardId((uint)i))], PlacementShard));

    private SimClusterNode AddNode()
    {
        var id = new NodeId((ulong)_nodes.Count + 1);
        var node = new SimClusterNode(_runtime, _seed, id, _network, _groupOptions, _walOptions, Path.Combine(_directory, $"n{id.Value}"), _log);
        _nodes.Add(node);
        node.Start();
        _members[id] = PlacementNodeState.Active;
        return node;
    }

    private void StartCoordinator()
    {
        var executor = new SimPlacementExecutor(_ask, _sender, NodeOf);
        var store = new PlacementStore((request, _) => _sender.SendAsync(PlacementShard, request));
        var initial = ShardMap.Bootstrap(Enumerable.Range(0, DataShards).Select(i => new ShardId((uint)i)).Append(PlacementShard), new NodeId(1));
        PlacementCoordinator? coordinator = null;
        var mailbox = _runtime.CreateMailbox($"coordinator-{++_generation}", message =>
        {
            if (!coordinator!.Handle(message))
            {
                throw new InvalidOperationException($"the coordinator does not handle {message}");
            }
        }, publish: notification =>
        {
            if (notification is PlacementEvent placementEvent)
            {
                _placementEvents.Add(placementEvent);
            }
        });
        coordinator = new PlacementCoordinator(initial, _coordinatorOptions, executor, store, mailbox);
        _coordinator = coordinator;
        _coordinatorMailbox = mailbox;
        coordinator.Start();
        _nextObservation = TimeSpan.Zero;
    }

    /// <summary>One 10 ms step: deliver, fsync, run timers and actors, tell the coordinator the membership, advance clients.</summary>
    private string? Step()
    {
        _network.DeliverDue();
        foreach (var node in _nodes)
        {
            node.MaybeFsync(_random, 0.5);
        }
        _runtime.Advance(StepLength);
        if (Now() >= _nextObservation)
        {
            _nextObservation = Now() + TimeSpan.FromMilliseconds(500);
            _coordinatorMailbox.Post(new NodesObserved([.. _members.Select(pair => new PlacementNode(pair.Key, pair.Value))]));
        }
        if (_coordinatorMailbox.IsStopped && Now() >= _nextCoordinatorStart)
        {
            _nextCoordinatorStart = Now() + TimeSpan.FromMilliseconds(500);
            StartCoordinator(); // as a node's placement host does when its coordinator stopped
            Note($"coordinator {_generation} started (the previous one stopped)");
        }
        LeaveDrainedNodes();
        foreach (var client in _clients)
        {
            client.Step();
        }
        return _safety.Violation;
    }

    private void InjectFaults()
    {
        var up = _nodes.Where(node => node.IsUp).ToList();
        var roll = _random.NextDouble();
        if (roll < 0.002)
        {
            Note($"partition {_network.CutRandomPartition([.. up.Select(node => node.Id)])}");
        }
        else if (roll < 0.005)
        {
            _network.Heal();
        }
        else if (roll < 0.006 && up.Count > 2 && _nodes.Count(node => !node.IsUp && !_left.Contains(node.Id)) < 2)
        {
            var victim = up[_random.Next(up.Count)];
            var torn = _random.Next(2) == 0;
            victim.Crash(_random, torn);
            _members[victim.Id] = PlacementNodeState.Unreachable;
            Note($"crash {victim.Id}{(torn ? " (torn write)" : "")}");
            MembershipChanged();
        }
        else if (roll < 0.009 && _nodes.Where(node => !node.IsUp && !_left.Contains(node.Id)).ToList() is { Count: > 0 } down)
        {
            var node = down[_random.Next(down.Count)];
            node.Start();
            _members[node.Id] = PlacementNodeState.Active;
            Note($"restart {node.Id}");
            if (node == _nodes[0])
            {
                // The node that formed the cluster forms it again after a crash: its disk may have lost the bootstrap
                // (the manager refuses when it holds any state).
                Bootstrap();
            }
            MembershipChanged();
        }
        else if (roll < 0.0095 && _nodes.Count < MaxNodes)
        {
            Note($"join {AddNode().Id}");
            MembershipChanged();
        }
        else if (roll < 0.0099 && _members.Where(pair => pair.Value == PlacementNodeState.Active && !_draining.Contains(pair.Key)).Select(pair => pair.Key).ToList() is { Count: >= 4 } active)
        {
            // An operator asks a node to leave (at most down to three staying nodes).
            var drained = active[_random.Next(active.Count)];
            _draining.Add(drained);
            var store = new PlacementStore((request, _) => _sender.SendAsync(PlacementShard, request));
            _ = store.SetDrainingAsync(drained, true, CancellationToken.None).ContinueWith(
                task =>
                {
                    Note(task.IsCompletedSuccessfully ? $"drain {drained}" : $"drain {drained} not recorded");
                    if (!task.IsCompletedSuccessfully)
                    {
                        _draining.Remove(drained);
                    }
                },
                CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        }
        else if (roll < 0.0102)
        {
            _coordinatorMailbox.Stop();
            Note($"coordinator {_generation} stopped");
        }
    }

    /// <summary>A node leaves once the coordinator announced it drained: it stops for good.</summary>
    private void LeaveDrainedNodes()
    {
        foreach (var placementEvent in _placementEvents.Skip(_handledEvents).Where(e => e is PlacementStepCompleted or PlacementCorrected or NodeDrained))
        {
            Note(PlacementEventText.Describe(placementEvent));
        }
        foreach (var drained in _placementEvents.Skip(_handledEvents).OfType<NodeDrained>().Where(drained => _members.ContainsKey(drained.Node)).ToList())
        {
            _members.Remove(drained.Node);
            _draining.Remove(drained.Node);
            _left.Add(drained.Node);
            if (NodeOf(drained.Node) is { IsUp: true } node)
            {
                node.Crash(_random, tornWrite: false);
            }
            Note($"{drained.Node} drained and left");
            MembershipChanged();
        }
        _handledEvents = _placementEvents.Count;
    }

    /// <summary>What a node does on a membership change: wake its replicas (a sleeping follower cannot notice a dead leader).</summary>
    private void MembershipChanged()
    {
        foreach (var node in _nodes.Where(node => node.IsUp))
        {
            node.TellManager(WakeReplicas.Instance);
        }
    }

    /// <summary>Why the placement is not yet where it must end, or empty: compares the coordinator's configuration with every group's leader.</summary>
    private string Problem()
    {
        if (_coordinatorMailbox.IsStopped)
        {
            return "no coordinator runs";
        }
        var history = _coordinator.History;
        var live = _members.Where(pair => pair.Value == PlacementNodeState.Active && !_draining.Contains(pair.Key)).Select(pair => pair.Key).ToHashSet();
        foreach (var shard in history.Current.Shards.Values)
        {
            if (Answer(_sender.SendAsync(shard.Shard, GetShardStatus.Instance)) is not ShardStatus { Role: RaftRole.Leader } status)
            {
                return $"{shard.Shard} has no leader; replicas: {Replicas(shard.Shard)}";
            }
            if (!status.Conf.Voters.SetEquals(shard.Voters) || !status.Conf.Learners.SetEquals(shard.Learners))
            {
                return $"{shard.Shard}: configuration says {string.Join(',', shard.Voters)} / {string.Join(',', shard.Learners)}, the group has {status.Conf}";
            }
            var wanted = Math.Min(3, live.Count);
            if (shard.Voters.Count != wanted || shard.Learners.Count > 0 || !shard.Voters.All(live.Contains))
            {
                return $"{shard.Shard}: voters [{string.Join(',', shard.Voters)}], learners [{string.Join(',', shard.Learners)}]; {wanted} wanted on [{string.Join(',', live)}]";
            }
            if (shard.Epoch > (long)status.Conf.Index.Value)
            {
                return $"{shard.Shard}: recorded epoch {shard.Epoch} is ahead of the group's {status.Conf.Index}";
            }
        }
        return "";
    }

    /// <summary>Every running replica of <paramref name="shard"/> as it reports itself (for failure messages).</summary>
    private string Replicas(ShardId shard) => string.Join("; ", _nodes
        .Where(node => node.IsUp && node.ReplicaOf(shard) is not null)
        .Select(node => Answer(_ask.AskAsync<ShardReply>(replyTo =>
            {
                node.ReplicaOf(shard)!.Ask(GetShardStatus.Instance, replyTo);
                return true;
            }, TimeSpan.FromSeconds(1))) is ShardStatus status
            ? $"{node.Id}: {status.Role} {status.Term} leader {status.Leader} commit {status.CommitIndex} applied {status.AppliedIndex} {status.Conf}{(status.Quiescent ? " quiescent" : "")}"
            : $"{node.Id}: no answer"));

    /// <summary>Runs the simulation (without faults or clients) until <paramref name="task"/> completes; its result.</summary>
    private object? Answer<T>(Task<T> task)
    {
        for (var i = 0; i < 1_000 && !task.IsCompleted; i++)
        {
            _network.DeliverDue();
            foreach (var node in _nodes)
            {
                node.MaybeFsync(_random, 1.0);
            }
            _runtime.Advance(StepLength);
        }
        return task.IsCompletedSuccessfully ? task.Result : null;
    }

    private void Note(string fault)
    {
        _events.Add($"{Now().TotalSeconds:F2}s {fault}");
        _log?.Line("simulator", fault);
    }

    private SimResult Fail(string failure) =>
        new(_seed, $"{failure}\n{(_log is null ? "set AKKAKV_SIMULATION_LOG=1 to keep a log" : $"log in {_log.Save(_seed)}")}\nevents: {string.Join("; ", _events)}\nlast placement events: {string.Join("; ", _placementEvents.TakeLast(20).Select(PlacementEventText.Describe))}", Summary(0));

    private string Summary(long states) =>
        $"seed {_seed}: {_nodes.Count} nodes ({_left.Count} left), {DataShards} data shards, {_history.Count} operations " +
        $"({_history.Count(op => op.Status == KvOperationStatus.Ok)} ok, {_history.Count(op => op.Status == KvOperationStatus.Info)} unknown), " +
        $"{_safety.Elections} leaders, {_nodes.Sum(node => node.Crashes)} crashes, " +
        $"{_placementEvents.OfType<PlacementStepCompleted>().Count()} placement steps ({_placementEvents.OfType<PlacementStepFailed>().Count()} failed, " +
        $"{_placementEvents.OfType<PlacementCorrected>().Count()} corrections), {_generation} coordinators, {_events.Count} events, " +
        $"{_network.Delivered}/{_network.Sent} messages ({_network.SnapshotChunksDelivered} snapshot chunks, {_network.QuiescingHeartbeatsDelivered} quiescing heartbeats), " +
        $"{states} checker states, virtual {Now().TotalSeconds:F1}s";

    /// <summary>The cluster's nodes as a client's targets: a request reaches the node's replica of its key's shard.</summary>
    private sealed class ClusterTargets(List<SimClusterNode> nodes, ShardPartitioner partitioner) : ISimTargets
    {
        public int Count => nodes.Count;

        public bool IsUp(int index) => nodes[index].IsUp;

        public void Deliver(int index, string key, ShardRequest request, IReplyTo<ShardReply> replyTo)
        {
            if (nodes[index].ReplicaOf(partitioner.ShardOf(key)) is { } replica)
            {
                replica.Ask(request, replyTo);
            }
            else
            {
                replyTo.Tell(new ShardUnavailable($"n{index + 1} holds no replica of this key's shard"));
            }
        }
    }
}
