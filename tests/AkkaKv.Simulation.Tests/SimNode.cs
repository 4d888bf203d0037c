using AkkaKv.Actors;
using AkkaKv.Actors.Deterministic;
using AkkaKv.Persistence.Snapshots;
using AkkaKv.Persistence.Storage;
using AkkaKv.Persistence.Wal;
using AkkaKv.Raft;
using AkkaKv.Sharding;

namespace AkkaKv.Simulation.Tests;

/// <summary>
/// One simulated server: a real <see cref="RaftGroupActor"/> over a real <see cref="NodeWal"/> on a simulated disk
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

    public SimNode(DeterministicEnvironment environment, NodeId id, ConfState initialConf, SimNetwork network, RaftGroupOptions options, string snapshotDirectory)
    {
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

    public int Crashes { get; private set; }

    public void Start()
    {
        _wal = NodeWal.OpenManual(_disk);
        var system = _environment.CreateSystem($"node{Id.Value}-{++_incarnation}");
        _systems.Add(system);
        Replica = system.ActorOf(RaftGroupActor.Props(Shard, Id, _initialConf, _wal, new FileSnapshotStore(_snapshotDirectory), _network, _options), "shard-0");
        _network.Register(Id, Replica);
    }

    /// <summary>Completes the pending group commit (one write + fsync), if any, with probability <paramref name="chance"/>.</summary>
    public void MaybeFsync(Random random, double chance)
    {
        if (_wal is { HasPending: true } wal && random.NextDouble() < chance)
        {
            wal.FlushPending();
        }
    }

    /// <summary>Power loss: the process stops, and the disk keeps what was fsynced (plus a torn tail, maybe).</summary>
    public void Crash(Random random, bool tornWrite)
    {
        Invariant.Check(Replica is not null && _wal is not null, "crash of a node that is down");
        _network.MarkDown(Id);
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
