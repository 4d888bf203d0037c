using Akka.Actor;
using AkkaKv.Persistence.Snapshots;
using AkkaKv.Persistence.Storage;
using AkkaKv.Persistence.Wal;
using AkkaKv.Raft;
using AkkaKv.Sharding.Hosting;
using AkkaKv.Store;
using Microsoft.Extensions.Logging.Abstractions;

namespace AkkaKv.Sharding.Tests;

/// <summary>
/// A Raft group of real <see cref="ShardReplicaHost"/> actors in one Akka.NET actor system, each replica with its own
/// WAL (on an in-memory disk that a crash cuts back to what was fsynced) and snapshot directory, connected by an
/// <see cref="InProcessRaftTransport"/> whose filter the scenarios use to cut links and lose messages. Every random
/// choice of the harness — which message is lost, which replica a retrying client tries next — comes from one
/// <see cref="Random"/> seeded with <see cref="Seed"/>. The replicas run on real threads, so a seed replays the
/// sequence of choices, not the interleaving; <see cref="Context"/> names it for failure messages.
/// </summary>
internal sealed class ReplicatedGroup : IAsyncDisposable
{
    public static readonly ShardId Shard = new(0);

    private readonly ActorSystem _system;
    private readonly RaftGroupOptions _options;
    private readonly Replica[] _replicas;
    private readonly HashSet<(NodeId From, NodeId To)> _cut = [];
    private readonly Lock _lock = new(); // the filter runs on every sending replica's thread, the clients on the pool
    private readonly Random _random;
    private double _lossRate;
    private int _generation;

    private sealed class Replica(NodeId id, string snapshotDirectory)
    {
        public NodeId Id { get; } = id;
        public string SnapshotDirectory { get; } = snapshotDirectory;
        public MemoryWalStorage Disk { get; set; } = new();
        public NodeWal? Wal { get; set; }
        public IActorRef? Actor { get; set; }
    }

    public ReplicatedGroup(ActorSystem system, int size, int seed, RaftGroupOptions? options = null)
    {
        _system = system;
        Seed = seed;
        _random = new Random(seed);
        _options = options ?? new RaftGroupOptions
        {
            TickInterval = TimeSpan.FromMilliseconds(20),
            Raft = new RaftOptions { ElectionTicks = 10, HeartbeatTicks = 1 },
        };
        Transport = new InProcessRaftTransport { Filter = Allow };
        var root = Directory.CreateTempSubdirectory("akkakv-group-").FullName;
        Root = root;
        _replicas = [.. Enumerable.Range(1, size).Select(i => new Replica(new NodeId((ulong)i), Path.Combine(root, $"n{i}")))];
        Conf = new ConfState(_replicas.Select(replica => replica.Id));
        foreach (var replica in _replicas)
        {
            Start(replica);
        }
    }

    /// <summary>The seed of the harness's random choices.</summary>
    public int Seed { get; }

    /// <summary>What a failure message carries so the run can be replayed.</summary>
    public string Context => $"AKKAKV_SEED={Seed}";

    public string Root { get; }

    public ConfState Conf { get; }

    public InProcessRaftTransport Transport { get; }

    public int Size => _replicas.Length;

    public IEnumerable<NodeId> Ids => _replicas.Select(replica => replica.Id);

    public IActorRef ActorOf(NodeId id) => Get(id).Actor ?? throw new InvalidOperationException($"{id} is down");

    public NodeWal WalOf(NodeId id) => Get(id).Wal ?? throw new InvalidOperationException($"{id} is down");

    private Replica Get(NodeId id) => _replicas[(int)id.Value - 1];

    private void Start(Replica replica)
    {
        replica.Wal = NodeWal.Open(replica.Disk);
        replica.Actor = _system.ActorOf(
            ShardReplicaHost.Props(Shard, replica.Id, Conf, replica.Wal, new FileSnapshotStore(replica.SnapshotDirectory), Transport, _options,
                NullLoggerFactory.Instance, TimeProvider.System),
            $"n{replica.Id.Value}-{++_generation}");
        Transport.Register(replica.Id, Shard, replica.Actor);
    }

    /// <summary>
    /// Power loss on <paramref name="id"/>: it is cut off, its actor stopped, and its disk keeps only what was fsynced.
    /// The disk is cut after the actor has stopped, so nothing the actor does on its way out outlives the crash.
    /// </summary>
    public async Task CrashAsync(NodeId id)
    {
        var replica = Get(id);
        Transport.Unregister(id, Shard);
        await StopAsync(replica.Actor!);
        replica.Actor = null;
        replica.Disk = replica.Disk.PowerCut();
        await replica.Wal!.DisposeAsync();
        replica.Wal = null;
    }

    public void Restart(NodeId id) => Start(Get(id));

    private async Task StopAsync(IActorRef actor)
    {
        var terminated = actor.WatchAsync();
        _system.Stop(actor);
        await terminated.WaitAsync(TimeSpan.FromSeconds(10));
    }

    /// <summary>Cuts both directions between <paramref name="a"/> and every node in <paramref name="others"/>.</summary>
    public void Isolate(NodeId a, IEnumerable<NodeId>? others = null)
    {
        lock (_lock)
        {
            foreach (var b in others ?? Ids)
            {
                if (b != a)
                {
                    _cut.Add((a, b));
                    _cut.Add((b, a));
                }
            }
        }
    }

    public void Heal()
    {
        lock (_lock)
        {
            _cut.Clear();
            _lossRate = 0;
        }
    }

    /// <summary>Loses each Raft message with probability <paramref name="rate"/> (drawn from the seeded random).</summary>
    public void LoseMessages(double rate)
    {
        lock (_lock)
        {
            _lossRate = rate;
        }
    }

    private bool Allow(ShardId shard, RaftMessage message)
    {
        lock (_lock)
        {
            return !_cut.Contains((message.From, message.To)) && (_lossRate == 0 || _random.NextDouble() >= _lossRate);
        }
    }

    /// <summary>A replica chosen by the seeded random (a client that lost track of the leader tries one).</summary>
    private NodeId AnyReplica()
    {
        lock (_lock)
        {
            return _replicas[_random.Next(_replicas.Length)].Id;
        }
    }

    public async Task<ShardStatus?> StatusAsync(NodeId id) => await TryAskAsync(id, GetShardStatus.Instance, TimeSpan.FromSeconds(1)) as ShardStatus;

    /// <summary>The replica that leads the highest term, as the live replicas report it; null while there is none.</summary>
    public async Task<NodeId?> LeaderAsync()
    {
        var statuses = (await Task.WhenAll(Ids.Select(StatusAsync))).OfType<ShardStatus>().ToList();
        var leader = statuses.Where(status => status.Role == RaftRole.Leader).MaxBy(status => status.Term);
        return leader?.Node;
    }

    /// <summary>
    /// A client: sends <paramref name="command"/> to the leader it believes in and retries — with the same command,
    /// hence the same idempotency key — on "not leader", "unavailable", "unknown" and timeouts, until
    /// <paramref name="deadline"/>.
    /// </summary>
    public async Task<KvResult?> WriteAsync(KvCommand command, TimeSpan deadline, TimeSpan? attemptTimeout = null)
    {
        var giveUpAt = DateTime.UtcNow + deadline;
        var target = Ids.First();
        while (DateTime.UtcNow < giveUpAt)
        {
            var reply = await TryAskAsync(target, new WriteRequest(command), attemptTimeout ?? TimeSpan.FromMilliseconds(500));
            switch (reply)
            {
                case WriteReply write:
                    return write.Result;
                case NotLeader { Leader.IsNone: false } notLeader:
                    target = notLeader.Leader;
                    break;
                default:
                    target = AnyReplica();
                    await Task.Delay(10); // allowed: a client's retry backoff, not a wait for an outcome
                    break;
            }
        }
        return null;
    }

    /// <summary>A linearizable read with the same retry loop as <see cref="WriteAsync"/>.</summary>
    public async Task<string?> ReadAsync(string key, TimeSpan deadline, NodeId? at = null)
    {
        var giveUpAt = DateTime.UtcNow + deadline;
        var target = at ?? Ids.First();
        while (DateTime.UtcNow < giveUpAt)
        {
            var reply = await TryAskAsync(target, new ReadRequest(key), TimeSpan.FromMilliseconds(500));
            switch (reply)
            {
                case ReadReply read:
                    return read.Value is { } value ? System.Text.Encoding.UTF8.GetString(value.Value.Span) : null;
                case NotLeader { Leader.IsNone: false } notLeader when at is null:
                    target = notLeader.Leader;
                    break;
                default:
                    if (at is null)
                    {
                        target = AnyReplica();
                    }
                    await Task.Delay(10); // allowed: a client's retry backoff, not a wait for an outcome
                    break;
            }
        }
        throw new TimeoutException($"no linearizable read of {key} within {deadline} ({Context})");
    }

    /// <summary>The reply of <paramref name="target"/>'s replica, or null when it is down or did not answer in time.</summary>
    public async Task<ShardReply?> TryAskAsync(NodeId target, ShardRequest request, TimeSpan timeout)
    {
        if (Get(target).Actor is not { } actor)
        {
            return null;
        }
        try
        {
            return await actor.Ask<ShardReply>(request, timeout);
        }
        catch (Exception exception) when (exception is AskTimeoutException or InvalidCastException)
        {
            return null;
        }
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var replica in _replicas.Where(replica => replica.Actor is not null))
        {
            await StopAsync(replica.Actor!);
            await replica.Wal!.DisposeAsync();
        }
        try
        {
            Directory.Delete(Root, recursive: true);
        }
        catch (IOException)
        {
            // a replica may still be finishing a snapshot file; the temporary directory is left behind
        }
    }
}
