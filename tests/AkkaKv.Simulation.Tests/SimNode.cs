using AkkaKv.Persistence.Snapshots;
using AkkaKv.Persistence.Storage;
using AkkaKv.Persistence.Wal;
using AkkaKv.Raft;
using AkkaKv.Sharding;
using AkkaKv.TestKit.Simulation;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace AkkaKv.Simulation.Tests;

/// <summary>
/// One simulated server: the production <see cref="ShardReplica"/> state machine in a simulated mailbox, over a real
/// <see cref="NodeWal"/> on a simulated disk (<see cref="MemoryWalStorage"/>, whose fsyncs complete when the
/// simulator says), ticked by a timer on the node's own clock (which may drift). A crash keeps only what was fsynced
/// — optionally with a torn write — and a restart recovers from that, as a real process would. A pause freezes the
/// process (a long GC pause, a stalled VM): nothing it holds is processed and its timers do not fire; on resume it
/// works through everything that arrived meanwhile, in order, and overdue timers fire once.
/// </summary>
internal sealed class SimNode
{
    public static readonly ShardId Shard = new(0);

    private readonly SimRuntime _runtime;
    private readonly int _seed;
    private readonly ConfState _initialConf;
    private readonly SimNetwork _network;
    private readonly RaftGroupOptions _options;
    private readonly string _snapshotDirectory;
    private readonly double _clockRate;
    private readonly SimLog? _log;
    private MemoryWalStorage _disk = new();
    private NodeWal? _wal;
    private int _incarnation;
    private SimClock? _clock;
    private SimMailbox? _mailbox;
    private ShardReplica? _replica;

    public SimNode(SimRuntime runtime, int seed, NodeId id, ConfState initialConf, SimNetwork network, RaftGroupOptions options, string snapshotDirectory, double clockRate, SimLog? log)
    {
        _runtime = runtime;
        _seed = seed;
        _log = log;
        _clockRate = clockRate;
        Id = id;
        _initialConf = initialConf;
        _network = network;
        _options = options;
        _snapshotDirectory = snapshotDirectory;
    }

    public NodeId Id { get; }

    public bool IsUp => _replica is not null;

    /// <summary>Frozen: alive, but nothing runs until resumed.</summary>
    public bool IsPaused => _clock?.IsPaused == true;

    public int Crashes { get; private set; }

    public void Start()
    {
        _incarnation++;
        _wal = NodeWal.OpenManual(_disk);
        _clock = new SimClock(_runtime.Time, _clockRate);
        var mailbox = _runtime.CreateMailbox($"{Id}#{_incarnation}", OnMessage, _clock);
        var logger = (ILogger?)_log?.CreateLogger($"{Id}") ?? NullLogger.Instance;
        var random = new Random((_seed * 7919) ^ (int)Id.Value ^ (_incarnation << 8));
        _mailbox = mailbox;
        _replica = new ShardReplica(Shard, Id, _initialConf, _wal, new FileSnapshotStore(_snapshotDirectory), _network, _options, mailbox, random, logger);
        _replica.Start();
        mailbox.StartPeriodicTimer("raft-tick", RaftTick.Instance, _options.TickInterval);
        _network.Register(Id, Deliver);
    }

    /// <summary>Hands <paramref name="message"/> (a Raft envelope, a <see cref="SimRequest"/>, a wake-up) to the replica's mailbox.</summary>
    public void Deliver(object message) => _mailbox?.Post(message);

    private void OnMessage(object message)
    {
        var replica = _replica!;
        switch (message)
        {
            case RaftEnvelope envelope: replica.Step(envelope.Message); break;
            case RaftTick: replica.Tick(); break;
            case WakeReplicas: replica.Wake(); break;
            case SimRequest request: replica.Handle(request.Request, request.ReplyTo); break;
            case ShardReplicaSignal signal: replica.Handle(signal); break;
            default: throw new InvalidOperationException($"{Id}: unexpected message {message}");
        }
    }

    public void Pause()
    {
        _clock!.Pause();
        _mailbox!.Pause();
    }

    /// <summary>Ends a pause: held messages are processed in the order they arrived, then overdue timers fire once.</summary>
    public void Resume()
    {
        _mailbox!.Resume();
        _clock!.Resume();
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
        Invariant.Check(_replica is not null && _wal is not null, "crash of a node that is down");
        _network.MarkDown(Id);
        if (tornWrite && _wal.HasPending)
        {
            _disk.FailNextFlush = true; // the write reaches the disk, the fsync does not
            _wal.FlushPending();
        }
        _mailbox!.Stop();
        _replica.Stop();
        _replica = null;
        _mailbox = null;
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

    public void Deliver(int index, string key, ShardRequest request, IReplyTo<ShardReply> replyTo) => nodes[index].Deliver(new SimRequest(request, replyTo));
}
