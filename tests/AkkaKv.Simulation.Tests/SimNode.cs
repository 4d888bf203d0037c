using AkkaKv.Actors;
using AkkaKv.Actors.Deterministic;
using AkkaKv.Persistence.Snapshots;
using AkkaKv.Persistence.Storage;
using AkkaKv.Persistence.Wal;
using AkkaKv.Raft;
using AkkaKv.Sharding;

namespace AkkaKv.Simulation.Tests;

/// <summary>
/// One simulated server: a real <see cref="ShardReplicaActor"/> over a real <see cref="NodeWal"/> on a simulated disk
/// (<see cref="MemoryWalStorage"/>, whose fsyncs complete when the simulator says). A crash keeps only what was
/// fsynced — optionally with a torn write — and a restart recovers from that, as a real process would.
/// </summary>
internal sealed class SimNode
{
    public static readonly ShardId Shard = new(0);

    private readonly DeterministicEnvironment _environment;
    private readonly ConfState _initialConf;
    private readonly SimNetwork _network;
    private readonly RaftGroupOptions _options;
    private readonly string _snapshotDirectory;
    private MemoryWalStorage _disk = new();
    private NodeWal? _wal;
    private int _incarnation;
    private readonly List<ActorSystem> _systems = [];
    private readonly List<(IActorRef Target, object Message, IActorRef? Sender)> _held = [];
    private readonly double _clockRate;
    private SimClock? _clock;
    private readonly SimLog? _log;

    public SimNode(DeterministicEnvironment environment, NodeId id, ConfState initialConf, SimNetwork network, RaftGroupOptions options, string snapshotDirectory, double clockRate, SimLog? log)
    {
        _log = log;
        _clockRate = clockRate;
        _environment = environment;
        Id = id;
        _initialConf = initialConf;
        _network = network;
        _options = options;
        _snapshotDirectory = snapshotDirectory;
    }

    public NodeId Id { get; }

    public IActorRef? Replica { get; private set; }

    public bool IsUp => Replica is not null;

    /// <summary>Stalled (a long GC pause, a frozen VM): alive, but neither timers nor deliveries run until resumed.</summary>
    public bool IsPaused => _clock?.IsPaused == true;

    public int Crashes { get; private set; }

    public void Start()
    {
        _wal = NodeWal.OpenManual(_disk);
        _clock = new SimClock(_environment.Time, _clockRate);
        var system = ActorSystem.Create($"node{Id.Value}-{++_incarnation}", new ActorSystemOptions
        {
            TimeProvider = _clock,
            Dispatcher = _environment.Dispatcher,
            Seed = (_environment.Seed * 7919) ^ (int)Id.Value ^ (_incarnation << 8),
        }, _log);
        _systems.Add(system);
        Replica = system.ActorOf(ShardReplicaActor.Props(Shard, Id, _initialConf, _wal, new FileSnapshotStore(_snapshotDirectory), _network, _options), "shard-0");
        _network.Register(Id, message => Deliver(message));
    }

    /// <summary>Hands <paramref name="message"/> to the replica, or holds it while the node is paused.</summary>
    public void Deliver(object message, IActorRef? sender = null)
    {
        if (Replica is null)
        {
            return;
        }
        if (IsPaused)
        {
            _held.Add((Replica, message, sender));
            return;
        }
        Replica.Tell(message, sender);
    }

    public void Pause() => _clock!.Pause();

    /// <summary>Ends a pause: overdue timers fire and held messages arrive, in the order they were sent.</summary>
    public void Resume()
    {
        _clock!.Resume();
        foreach (var (target, message, sender) in _held)
        {
            target.Tell(message, sender);
        }
        _held.Clear();
    }

    /// <summary>Completes the pending group commit (one write + fsync), if any, with probability <paramref name="chance"/>.</summary>
    public void MaybeFsync(Random random, double chance)
    {
        if (_wal is { HasPending: true } wal && !IsPaused && random.NextDouble() < chance)
        {
            wal.FlushPending();
        }
    }

    /// <summary>Power loss: the process stops, and the disk keeps what was fsynced (plus a torn tail, maybe).</summary>
    public void Crash(Random random, bool tornWrite)
    {
        Invariant.Check(Replica is not null && _wal is not null, "crash of a node that is down");
        _network.MarkDown(Id);
        _held.Clear();
        if (tornWrite && _wal.HasPending)
        {
            _disk.FailNextFlush = true; // the write reaches the disk, the fsync does not
            _wal.FlushPending();
        }
        _systems[^1].Stop(Replica);
        Replica = null;
        _wal = null;
        _disk = _disk.PowerCut(tornWrite ? random : null);
        Crashes++;
    }
}

/// <summary>The single group's nodes as a client's targets: every node holds the one shard.</summary>
internal sealed class SimNodeTargets(IReadOnlyList<SimNode> nodes) : ISimTargets
{
    public int Count => nodes.Count;

    public bool IsUp(int index) => nodes[index].IsUp;

    public void Deliver(int index, string key, object request, IActorRef sender) => nodes[index].Deliver(request, sender);
}
