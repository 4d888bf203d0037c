using AkkaKv.Raft;
using AkkaKv.Sharding;
using AkkaKv.TestKit.Linearizability;
using AkkaKv.TestKit.Simulation;

namespace AkkaKv.Simulation.Tests;

/// <summary>
/// Deterministic simulation of one Raft group: the production <see cref="ShardReplica"/> state machines and real WALs
/// on the seeded virtual-time scheduler (<see cref="SimRuntime"/>), with a simulated network (delay, loss, duplication, reordering, partitions), simulated
/// disks (fsync completion, crashes that lose what was not fsynced, torn writes), crashes and restarts, clock jumps
/// and leader transfers under concurrent clients. Safety is checked as it happens; at the end the faults stop, the
/// group must converge, and the clients' history must be linearizable. The same seed replays the same run.
/// </summary>
internal sealed class Simulator
{
    private static readonly TimeSpan StepLength = TimeSpan.FromMilliseconds(10);

    private readonly SimOptions _options;
    private readonly Random _random;
    private readonly SimRuntime _runtime;
    private readonly DateTimeOffset _start;
    private readonly SimNetwork _network;
    private readonly SimSafetyChecker _safety = new();
    private readonly List<SimNode> _nodes = [];
    private readonly List<SimClient> _clients = [];
    private readonly List<KvOperation> _history = [];
    private readonly List<string> _events = [];
    private readonly string _directory;
    private long _eventCounter;
    private readonly Dictionary<SimNode, TimeSpan> _pausedUntil = [];
    private readonly Dictionary<SimNode, double> _fsyncCompletes = [];
    private readonly SimLog? _log;
    private SimMembershipChanger _membership = null!;

    private Simulator(SimOptions options)
    {
        _options = options;
        _random = new Random(options.Seed);
        _runtime = new SimRuntime(options.Seed);
        _start = _runtime.Time.GetUtcNow();
        _network = new SimNetwork(new Random(_random.Next()), options, Now);
        _directory = Directory.CreateTempSubdirectory($"akkakv-sim-{options.Seed}-").FullName;
        _log = SimLog.Enabled ? new SimLog(Now) : null;
    }

    private TimeSpan Now() => _runtime.Time.GetUtcNow() - _start;

    private long NextEvent() => ++_eventCounter;

    public static SimResult Run(SimOptions options)
    {
        var simulator = new Simulator(options);
        try
        {
            return simulator.Run();
        }
        finally
        {
            Directory.Delete(simulator._directory, recursive: true);
        }
    }

    private SimResult Run()
    {
        var ids = Enumerable.Range(1, _options.Replicas).Select(i => new NodeId((ulong)i)).ToList();
        var groupOptions = new RaftGroupOptions
        {
            TickInterval = TimeSpan.FromMilliseconds(100),
            // Every third seed sends about one entry per append, so a follower catches up over many messages and a
            // leader sees its followers' logs match partway.
            Raft = SimRaftOptions.For(_options.Quiescence) with
            {
                Defects = _options.Defects,
                MaxMessageBytes = _options.Seed % 3 == 0 ? 64 : 1024 * 1024,
                LeaseReads = _options.LeaseReads,
            },
            SnapshotEveryEntries = 40,
            CompactionLagEntries = 10,
            Probe = _safety,
        };
        var conf = new ConfState(ids);
        foreach (var id in ids)
        {
            // Clocks run between 0.8x and 1.25x; with lease reads, within what the lease's drift margin allows.
            var drift = _options.LeaseReads ? _options.LeaseClockDrift : 0.2;
            var rate = _random.NextDouble() < _options.ClockDriftChance ? (1 - drift) + (((1 / (1 - drift)) - (1 - drift)) * _random.NextDouble()) : 1.0;
            if (rate != 1.0)
            {
                Note($"{id}'s clock runs at {1 / rate:F2}x");
            }
            var node = new SimNode(_runtime, _options.Seed, id, conf, _network, groupOptions, Path.Combine(_directory, $"n{id.Value}"), rate, _log);
            node.Start();
            _nodes.Add(node);
            var slowDisk = _random.NextDouble() < _options.SlowDiskChance;
            _fsyncCompletes[node] = slowDisk ? _options.SlowDiskFsyncCompletes : _options.FsyncCompletes;
            if (slowDisk)
            {
                Note($"{id}'s disk is slow");
            }
        }
        for (var i = 0; i < _options.Clients; i++)
        {
            var client = new SimClient(i, new Random(_random.Next()), _options, new SimNodeTargets(_nodes), _history, NextEvent, Now, _runtime) { Log = _log };
            _clients.Add(client);
        }

        _membership = new SimMembershipChanger(new Random(_random.Next()), _nodes, Now, Note, _runtime);

        // Phase 1: load and faults.
        while (Now() < _options.FaultyPeriod)
        {
            InjectFaults();
            if (!_options.Quiescence || Now().TotalSeconds % 5 < 2)
            {
                foreach (var client in _clients)
                {
                    client.MaybeIssue(_options.ClientIssues);
                }
            }
            if (Step() is { } violation)
            {
                return Fail(violation);
            }
        }

        // Phase 2: heal, restart everyone, let in-flight operations finish and the group converge.
        _network.Heal();
        foreach (var node in _nodes.Where(node => node.IsUp && node.IsPaused))
        {
            node.Resume();
        }
        foreach (var node in _nodes.Where(node => !node.IsUp))
        {
            node.Start();
            Note($"restart {node.Id} (heal)");
        }
        var healedAt = Now();
        while (_clients.Any(client => !client.IsIdle))
        {
            if (Now() - healedAt > _options.ConvergenceLimit)
            {
                return Fail("clients still waiting long after the faults stopped (no progress)");
            }
            if (Step() is { } violation)
            {
                return Fail(violation);
            }
        }

        // Phase 3: every key read once more, after everything else: acknowledged writes must all be there.
        for (var key = 0; key < _options.Keys; key++)
        {
            var reader = _clients[key % _clients.Count];
            while (!reader.IsIdle)
            {
                Step();
            }
            reader.IssueRead($"k{key}");
            while (!reader.IsIdle)
            {
                if (Now() - healedAt > _options.ConvergenceLimit)
                {
                    return Fail("final reads did not complete");
                }
                if (Step() is { } violation)
                {
                    return Fail(violation);
                }
            }
        }
        if (SimHistoryCheck.Failure(_history, _options.Keys, $"akkakv-sim-{_options.Seed}", out var states) is { } failure)
        {
            return Fail(failure);
        }
        return new SimResult(_options.Seed, null, Summary(states)) { QuiescingHeartbeats = _network.QuiescingHeartbeatsDelivered };
    }

    /// <summary>One 10 ms step: deliver, fsync, fire timers, run actors, advance clients; returns a safety violation if any.</summary>
    private string? Step()
    {
        foreach (var (node, until) in _pausedUntil.ToList())
        {
            if (Now() >= until)
            {
                _pausedUntil.Remove(node);
                if (node.IsUp && node.IsPaused)
                {
                    node.Resume();
                    Note($"resume {node.Id}");
                }
            }
        }
        _network.DeliverDue();
        foreach (var node in _nodes)
        {
            node.MaybeFsync(_random, _fsyncCompletes[node]);
        }
        _runtime.Advance(StepLength);
        foreach (var client in _clients)
        {
            client.Step();
        }
        _membership.Step();
        return _safety.Violation;
    }

    private void InjectFaults()
    {
        var faults = _events.Count;
        InjectFault();
        if (_options.Quiescence && _events.Count > faults && _random.NextDouble() < _options.WakeAfterFault)
        {
            foreach (var node in _nodes.Where(node => node.IsUp))
            {
                node.Deliver(WakeReplicas.Instance);
            }
            Note("wake every replica");
        }
    }

    private void InjectFault()
    {
        _membership.MaybeStart(_options.MembershipChangeChance);
        if (_random.NextDouble() < _options.PartitionChance)
        {
            var ids = _nodes.Select(node => node.Id).ToList();
            Note(AimedAtLeader() is { } leader
                ? $"partition {_network.Isolate(leader.Id, ids)}"
                : $"partition {_network.CutRandomPartition(ids)}");
        }
        if (_random.NextDouble() < _options.HealChance)
        {
            _network.Heal();
        }
        if (_random.NextDouble() < _options.CrashChance && _nodes.Where(node => node.IsUp).ToList() is { Count: > 0 } up)
        {
            var victim = AimedAtLeader() is { IsUp: true } leader ? leader : up[_random.Next(up.Count)];
            var torn = _random.NextDouble() < _options.TornWriteOnCrash;
            victim.Crash(_random, torn);
            Note($"crash {victim.Id}{(torn ? " (torn write)" : "")}");
        }
        if (_random.NextDouble() < _options.RestartChance && _nodes.Where(node => !node.IsUp).ToList() is { Count: > 0 } down)
        {
            var node = down[_random.Next(down.Count)];
            node.Start();
            Note($"restart {node.Id}");
        }
        if (_random.NextDouble() < _options.ClockJumpChance)
        {
            var jump = TimeSpan.FromMilliseconds(500 + _random.Next(3_000));
            Note($"clock jump {jump.TotalMilliseconds} ms");
            _runtime.Advance(jump); // timers fire in a burst while the network stands still
        }
        if (_random.NextDouble() < _options.PauseChance && _nodes.Where(node => node.IsUp && !node.IsPaused).ToList() is { Count: > 0 } running)
        {
            var node = AimedAtLeader() is { IsUp: true, IsPaused: false } leader ? leader : running[_random.Next(running.Count)];
            var length = TimeSpan.FromMilliseconds(500 + _random.Next(3_500));
            node.Pause();
            _pausedUntil[node] = Now() + length;
            Note($"pause {node.Id} for {length.TotalMilliseconds} ms");
            if (_random.NextDouble() < _options.PausedNodeCutOff)
            {
                // Its peers' messages are lost meanwhile, but clients still reach it: on resume it answers what they
                // queued before a tick tells it that it lost its quorum.
                Note($"partition {_network.Isolate(node.Id, [.. _nodes.Select(other => other.Id)])}");
            }
        }
        if (_random.NextDouble() < _options.LeaderTransferChance && _nodes.Where(node => node.IsUp).ToList() is { Count: > 1 } candidates)
        {
            var target = candidates[_random.Next(candidates.Count)].Id;
            foreach (var node in candidates)
            {
                node.Deliver(new SimRequest(new TransferLeadership(target), Ignored.Instance)); // only the leader acts on it
            }
            Note($"transfer leadership to {target}");
        }
    }

    /// <summary>The latest leader's node, with probability <see cref="SimOptions.AimAtLeader"/>; otherwise (or before any election) null.</summary>
    private SimNode? AimedAtLeader()
    {
        var aim = _random.NextDouble() < _options.AimAtLeader;
        return aim ? _nodes.FirstOrDefault(node => node.Id == _safety.LatestLeader) : null;
    }

    private void Note(string fault)
    {
        _events.Add($"{Now().TotalSeconds:F2}s {fault}");
        _log?.Line("simulator", fault);
    }

    private SimResult Fail(string failure)
    {
        var log = _log is null ? "set AKKAKV_SIMULATION_LOG=1 to keep a log" : $"log in {_log.Save(_options.Seed)}";
        return new(_options.Seed, $"{failure}\nfaults: {string.Join("; ", _events)}\n{log}", Summary(0));
    }

    private string Summary(long states) =>
        $"seed {_options.Seed}: {_options.Replicas} replicas, {_history.Count} operations " +
        $"({_history.Count(op => op.Status == KvOperationStatus.Ok)} ok, {_history.Count(op => op.Status == KvOperationStatus.Info)} unknown), " +
        $"{_safety.Elections} leaders, highest applied {_safety.HighestApplied}, {_nodes.Sum(node => node.Crashes)} crashes, " +
        $"{_membership?.Completed ?? 0} membership changes, {_events.Count} faults, " +
        $"{_network.Delivered}/{_network.Sent} messages delivered ({_network.SnapshotChunksDelivered} snapshot chunks, " +
        $"{_network.QuiescingHeartbeatsDelivered} quiescing heartbeats), " +
        $"{states} checker states, virtual {Now().TotalSeconds:F1}s";

    /// <summary>A reply nobody waits for (the simulator's own leader transfers).</summary>
    private sealed class Ignored : IReplyTo<ShardReply>
    {
        public static readonly Ignored Instance = new();

        public void Tell(ShardReply reply) { }
    }
}
