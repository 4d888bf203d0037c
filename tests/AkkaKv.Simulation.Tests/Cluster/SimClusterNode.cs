using AkkaKv.Actors;
using AkkaKv.Actors.Deterministic;
using AkkaKv.Persistence.Membership;
using AkkaKv.Persistence.Snapshots;
using AkkaKv.Persistence.Storage;
using AkkaKv.Persistence.Wal;
using AkkaKv.Sharding;

namespace AkkaKv.Simulation.Tests.Cluster;

/// <summary>
/// One simulated server of a sharded cluster: a real <see cref="ReplicaManager{TReplica}"/> (every replica the placement puts
/// here, one tick timer, Raft messages routed by shard) over a real <see cref="NodeWal"/> on a simulated disk whose
/// fsyncs complete when the simulator says. A crash keeps only what was fsynced, maybe with a torn write; a restart
/// recovers every replica the disk holds, as the real node does.
/// </summary>
internal sealed class SimClusterNode(DeterministicEnvironment environment, NodeId id, SimNetwork network, RaftGroupOptions options, WalOptions walOptions, string snapshotDirectory, SimLog? log)
{
    private MemoryWalStorage _disk = new();
    private readonly InMemoryClusterMembershipRecord _membership = new(); // on the simulated disk: survives crashes
    private NodeWal? _wal;
    private ActorSystem? _system;
    private int _incarnation;

    public NodeId Id { get; } = id;

    /// <summary>The node's replica manager, while it runs.</summary>
    public IActorRef? Manager { get; private set; }

    public bool IsUp => Manager is not null;

    public int Crashes { get; private set; }

    /// <summary>Starts the process: recovers the replicas on its disk.</summary>
    public void Start()
    {
        _wal = NodeWal.OpenManual(_disk, walOptions);
        _system = ActorSystem.Create($"node{Id.Value}-{++_incarnation}", new ActorSystemOptions
        {
            TimeProvider = environment.Time,
            Dispatcher = environment.Dispatcher,
            Seed = (environment.Seed * 7919) ^ (int)Id.Value ^ (_incarnation << 8),
        }, log);
        Manager = _system.ActorOf(ReplicaManagerActor.Props(Id, _wal, new FileSnapshotStore(snapshotDirectory), network, options, _membership), "replicas");
        Manager.Tell(StartLocalReplicas.Instance);
        network.Register(Id, message => Manager?.Tell(message));
    }

    /// <summary>This node's replica of <paramref name="shard"/>, or null.</summary>
    public IActorRef? ReplicaOf(ShardId shard) =>
        _system?.ResolveLocal(["user", "replicas", ReplicaManagerActor.ReplicaName(shard)]);

    /// <summary>Completes the pending group commit with probability <paramref name="chance"/>.</summary>
    public void MaybeFsync(Random random, double chance)
    {
        if (_wal is { HasPending: true } wal && random.NextDouble() < chance)
        {
            wal.FlushPending();
        }
    }

    /// <summary>Power loss: the process stops; the disk keeps what was fsynced (plus a torn tail, maybe).</summary>
    public void Crash(Random random, bool tornWrite)
    {
        Invariant.Check(_system is not null && _wal is not null, "crash of a node that is down");
        network.MarkDown(Id);
        if (tornWrite && _wal.HasPending)
        {
            _disk.FailNextFlush = true; // the write reaches the disk, the fsync does not
            _wal.FlushPending();
        }
        _system.Stop(Manager!);
        Manager = null;
        _system = null;
        _wal = null;
        _disk = _disk.PowerCut(tornWrite ? random : null);
        Crashes++;
    }
}
