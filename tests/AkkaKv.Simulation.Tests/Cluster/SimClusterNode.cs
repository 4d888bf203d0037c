using AkkaKv.Persistence.Membership;
using AkkaKv.Persistence.Snapshots;
using AkkaKv.Persistence.Storage;
using AkkaKv.Persistence.Wal;
using AkkaKv.Raft;
using AkkaKv.Sharding;
using AkkaKv.TestKit.Simulation;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace AkkaKv.Simulation.Tests.Cluster;

/// <summary>
/// One simulated server of a sharded cluster: the production <see cref="ReplicaManager{TReplica}"/> (every replica the
/// placement puts here, one tick timer, Raft messages routed by shard) in a simulated mailbox, hosting production
/// <see cref="ShardReplica"/> state machines — each in a mailbox of its own — over a real <see cref="NodeWal"/> on a
/// simulated disk whose fsyncs complete when the simulator says. A crash keeps only what was fsynced, maybe with a
/// torn write; a restart recovers every replica the disk holds, as the real node does.
/// </summary>
internal sealed class SimClusterNode(SimRuntime runtime, int seed, NodeId id, SimNetwork network, RaftGroupOptions options, WalOptions walOptions, string snapshotDirectory, SimLog? log)
    : IReplicaHosting<SimClusterNode.Replica>
{
    private readonly RaftGroupOptions _options = options with { TickedByHost = true };
    private readonly InMemoryClusterMembershipRecord _membership = new(); // on the simulated disk: survives crashes
    private MemoryWalStorage _disk = new();
    private NodeWal? _wal;
    private FileSnapshotStore? _snapshots;
    private SimMailbox? _managerMailbox;
    private ReplicaManager<Replica>? _manager;
    private readonly List<Replica> _running = [];
    private Random _random = new(0);
    private int _incarnation;

    /// <summary>A running replica: its state machine and its mailbox.</summary>
    internal sealed class Replica(ShardReplica core, SimMailbox mailbox)
    {
        public ShardReplica Core { get; } = core;

        public SimMailbox Mailbox { get; } = mailbox;

        /// <summary>Hands a client's request to the replica.</summary>
        public void Ask(ShardRequest request, IReplyTo<ShardReply> replyTo) => Mailbox.Post(new SimRequest(request, replyTo));
    }

    public NodeId Id { get; } = id;

    public bool IsUp => _manager is not null;

    public int Crashes { get; private set; }

    /// <summary>Starts the process: recovers the replicas on its disk.</summary>
    public void Start()
    {
        _incarnation++;
        _random = new Random((seed * 7919) ^ (int)Id.Value ^ (_incarnation << 8));
        _wal = NodeWal.OpenManual(_disk, walOptions);
        _snapshots = new FileSnapshotStore(snapshotDirectory);
        _managerMailbox = runtime.CreateMailbox($"{Id}#{_incarnation}/replicas", OnManagerMessage);
        _manager = new ReplicaManager<Replica>(Id, _wal, _snapshots, _membership, _options.TickInterval, this, _managerMailbox);
        _manager.Start();
        _manager.Handle(StartLocalReplicas.Instance, Ignore<ReplicaManagerReply>.Instance);
        network.Register(Id, message => _managerMailbox?.Post(message));
    }

    /// <summary>Delivers <paramref name="message"/> to the node's replica manager (a wake-up, a bootstrap).</summary>
    public void TellManager(object message) => _managerMailbox?.Post(message);

    /// <summary>Asks the node's replica manager; false when the node is down (nothing was sent).</summary>
    public bool AskManager(ReplicaManagerRequest request, IReplyTo<ReplicaManagerReply> replyTo)
    {
        if (_managerMailbox is not { } mailbox)
        {
            return false;
        }
        mailbox.Post(new ManagerRequest(request, replyTo));
        return true;
    }

    /// <summary>This node's running replica of <paramref name="shard"/>, or null.</summary>
    public Replica? ReplicaOf(ShardId shard) => _manager is { } manager && manager.TryGetReplica(shard, out var replica) ? replica : null;

    private void OnManagerMessage(object message)
    {
        var manager = _manager!;
        switch (message)
        {
            case RaftTick or WakeReplicas: manager.Broadcast(message); break;
            case RaftEnvelope envelope: manager.Deliver(envelope); break;
            case BootstrapReplica bootstrap: manager.Bootstrap(bootstrap); break;
            case BootstrapCluster bootstrap: manager.Handle(bootstrap, Ignore<ReplicaManagerReply>.Instance); break;
            case ManagerRequest request: manager.Handle(request.Request, request.ReplyTo); break;
            case ReplicaDataDeletion deletion: manager.Handle(deletion); break;
            case ReplicaGone gone: manager.OnReplicaStopped(gone.Replica); break;
            default: throw new InvalidOperationException($"{Id}: unexpected message {message}");
        }
    }

    Replica IReplicaHosting<Replica>.Start(ShardId shard, ConfState initialConf)
    {
        ShardReplica? core = null;
        var mailbox = runtime.CreateMailbox($"{Id}#{_incarnation}/{shard}", message => OnReplicaMessage(core!, message));
        var logger = (ILogger?)log?.CreateLogger($"{Id}/{shard}") ?? NullLogger.Instance;
        core = new ShardReplica(shard, Id, initialConf, _wal!, _snapshots!, network, _options, mailbox, new Random(_random.Next()), logger);
        core.Start();
        var replica = new Replica(core, mailbox);
        _running.Add(replica);
        return replica;
    }

    void IReplicaHosting<Replica>.Tell(Replica replica, object message) => replica.Mailbox.Post(message);

    void IReplicaHosting<Replica>.Stop(Replica replica)
    {
        // As an actor's stop: after the message it is on (this runs on the manager's turn), nothing more is processed.
        replica.Mailbox.Stop();
        replica.Core.Stop();
        _running.Remove(replica);
        _managerMailbox!.Post(new ReplicaGone(replica));
    }

    private static void OnReplicaMessage(ShardReplica replica, object message)
    {
        switch (message)
        {
            case RaftEnvelope envelope: replica.Step(envelope.Message); break;
            case RaftTick: replica.Tick(); break;
            case WakeReplicas: replica.Wake(); break;
            case SimRequest request: replica.Handle(request.Request, request.ReplyTo); break;
            case ShardReplicaSignal signal: replica.Handle(signal); break;
            default: throw new InvalidOperationException($"{replica.Shard}: unexpected message {message}");
        }
    }

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
        Invariant.Check(_manager is not null && _wal is not null, "crash of a node that is down");
        network.MarkDown(Id);
        if (tornWrite && _wal.HasPending)
        {
            _disk.FailNextFlush = true; // the write reaches the disk, the fsync does not
            _wal.FlushPending();
        }
        foreach (var replica in _running)
        {
            replica.Mailbox.Stop();
            replica.Core.Stop();
        }
        _running.Clear();
        _managerMailbox!.Stop();
        _manager = null;
        _managerMailbox = null;
        _wal = null;
        _disk = _disk.PowerCut(tornWrite ? random : null);
        Crashes++;
    }

    private sealed record ManagerRequest(ReplicaManagerRequest Request, IReplyTo<ReplicaManagerReply> ReplyTo);

    private sealed record ReplicaGone(Replica Replica);

    private sealed class Ignore<T> : IReplyTo<T>
    {
        public static readonly Ignore<T> Instance = new();

        public void Tell(T reply) { }
    }
}
