using System.Text;
using Microsoft.Extensions.Logging.Abstractions;

namespace AkkaKv.Raft.Tests;

/// <summary>
/// An in-memory network of <see cref="RaftNode"/>s in the style of etcd's raft tests: the test drives ticks,
/// elections and proposals, and <see cref="Stabilize"/> runs the host contract (persist, send, apply, advance)
/// and delivers messages until nothing moves. <see cref="Cut"/>, <see cref="Isolate"/>, <see cref="Drop"/> and
/// <see cref="Recover"/> shape what gets through.
/// </summary>
internal sealed class RaftNetwork
{
    private readonly Dictionary<NodeId, RaftNode> _nodes = [];
    private readonly Dictionary<NodeId, MemoryRaftStorage> _storage = [];
    private readonly Dictionary<NodeId, List<RaftEntry>> _applied = [];
    private readonly Dictionary<NodeId, List<ReadState>> _reads = [];
    private readonly HashSet<(NodeId From, NodeId To)> _cut = [];
    private readonly List<Func<RaftMessage, bool>> _dropRules = [];
    private readonly Queue<RaftMessage> _inFlight = new();
    private readonly Random _random;

    private RaftNetwork(RaftOptions options, int seed)
    {
        Options = options;
        _random = new Random(seed);
    }

    public RaftOptions Options { get; }

    /// <summary>How many snapshots replicas installed.</summary>
    public int SnapshotsInstalled { get; private set; }

    /// <summary>Snapshots <paramref name="id"/>'s state at its applied index and compacts its log.</summary>
    public void Compact(int id)
    {
        var node = this[id];
        var data = Encoding.UTF8.GetBytes(string.Join('\n', AppliedCommands(id)));
        _storage[Id(id)].CreateSnapshot(node.Applied, node.Conf, data);
    }

    /// <summary>Every message delivered, in order (for assertions about traffic).</summary>
    public List<RaftMessage> Delivered { get; } = [];

    /// <summary>A network of voters 1..<paramref name="voters"/>, all followers in term 0.</summary>
    public static RaftNetwork Of(int voters, RaftOptions? options = null, int seed = 1)
    {
        var network = new RaftNetwork(options ?? new RaftOptions(), seed);
        var conf = new ConfState(Enumerable.Range(1, voters).Select(i => Id(i)));
        foreach (var id in conf.Voters)
        {
            network.AddNode(id, MemoryRaftStorage.Bootstrapped(conf));
        }
        network.Stabilize(); // apply the bootstrap membership
        return network;
    }

    public static NodeId Id(int value) => new((ulong)value);

    public RaftNode this[int id] => _nodes[Id(id)];

    public MemoryRaftStorage StorageOf(int id) => _storage[Id(id)];

    public IReadOnlyList<RaftNode> Nodes => [.. _nodes.Values];

    /// <summary>The state-machine commands applied on <paramref name="id"/> (no-ops and conf changes left out).</summary>
    public IReadOnlyList<string> AppliedCommands(int id) =>
        [.. _applied[Id(id)].Where(entry => entry.Kind == RaftEntryKind.Normal && !entry.IsNoOp).Select(entry => Encoding.UTF8.GetString(entry.Data.Span))];

    public IReadOnlyList<RaftEntry> AppliedEntries(int id) => _applied[Id(id)];

    public IReadOnlyList<ReadState> ReadsOf(int id) => _reads[Id(id)];

    /// <summary>Adds a node with the given storage (a new empty replica, or a restarted one).</summary>
    public RaftNode AddNode(NodeId id, MemoryRaftStorage storage)
    {
        var node = new RaftNode(id, Options, storage, new Random(_random.Next()), NullLogger.Instance);
        _nodes[id] = node;
        _storage[id] = storage;
        _applied.TryAdd(id, []);
        _reads.TryAdd(id, []);
        return node;
    }

    /// <summary>Crashes <paramref name="id"/> and restarts it from its storage: unpersisted state is lost.</summary>
    public RaftNode Restart(int id)
    {
        _applied[Id(id)] = [];
        return AddNode(Id(id), _storage[Id(id)]);
    }

    public void Cut(int a, int b)
    {
        _cut.Add((Id(a), Id(b)));
        _cut.Add((Id(b), Id(a)));
    }

    public void Isolate(int id)
    {
        foreach (var other in _nodes.Keys.Where(other => other != Id(id)))
        {
            Cut(id, (int)other.Value);
        }
    }

    /// <summary>Drops every message matching <paramref name="rule"/> until <see cref="Recover"/>.</summary>
    public void Drop(Func<RaftMessage, bool> rule) => _dropRules.Add(rule);

    /// <summary>Heals every cut and drop rule.</summary>
    public void Recover()
    {
        _cut.Clear();
        _dropRules.Clear();
    }

    public void Campaign(int id)
    {
        _nodes[Id(id)].Campaign();
        Stabilize();
    }

    public ProposeResult Propose(int id, string command)
    {
        var result = _nodes[Id(id)].Propose(Encoding.UTF8.GetBytes(command));
        Stabilize();
        return result;
    }

    /// <summary>Ticks every node <paramref name="ticks"/> times, stabilizing after each tick.</summary>
    public void Tick(int ticks = 1)
    {
        for (var i = 0; i < ticks; i++)
        {
            foreach (var node in _nodes.Values)
            {
                node.Tick();
            }
            Stabilize();
        }
    }

    /// <summary>Ticks only <paramref name="id"/>.</summary>
    public void TickOne(int id, int ticks = 1)
    {
        for (var i = 0; i < ticks; i++)
        {
            _nodes[Id(id)].Tick();
            Stabilize();
        }
    }

    /// <summary>Runs readies and delivers messages until nothing is left to do.</summary>
    public void Stabilize()
    {
        for (var rounds = 0; rounds < 100_000; rounds++)
        {
            var progressed = false;
            foreach (var (id, node) in _nodes)
            {
                while (node.HasReady)
                {
                    progressed = true;
                    HandleReady(id, node);
                }
            }
            while (_inFlight.TryDequeue(out var message))
            {
                progressed = true;
                if (_nodes.TryGetValue(message.To, out var target))
                {
                    Delivered.Add(message);
                    target.Step(message);
                }
            }
            if (!progressed)
            {
                return;
            }
        }
        throw new InvalidOperationException("the network did not stabilize");
    }

    private void HandleReady(NodeId id, RaftNode node)
    {
        var ready = node.TakeReady();
        Enqueue(ready.Messages);            // 1. the leader's replication goes out at once
        _storage[id].Persist(ready);        // 2. durable
        if (ready.Snapshot is not null)
        {
            // The "state machine" here is the list of applied commands; a snapshot carries it whole.
            var text = Encoding.UTF8.GetString(_storage[id].SnapshotData.Span);
            _applied[id] = [.. text.Split('\n', StringSplitOptions.RemoveEmptyEntries)
                .Select(command => new RaftEntry(LogIndex.Zero, Term.Zero, RaftEntryKind.Normal, Encoding.UTF8.GetBytes(command)))];
            SnapshotsInstalled++;
        }
        Enqueue(ready.MessagesAfterPersist); // 3. then acknowledgements and votes
        _applied[id].AddRange(ready.CommittedEntries); // 4. apply
        _reads[id].AddRange(ready.ReadStates);
        node.Advance(ready);                // 5. advance
    }

    private void Enqueue(IReadOnlyList<RaftMessage> messages)
    {
        foreach (var message in messages)
        {
            if (_cut.Contains((message.From, message.To)) || _dropRules.Any(rule => rule(message)))
            {
                continue;
            }
            _inFlight.Enqueue(message);
        }
    }

    /// <summary>The current leader when exactly one node believes it leads in the highest term; otherwise null.</summary>
    public RaftNode? Leader
    {
        get
        {
            var leaders = _nodes.Values.Where(node => node.Role == RaftRole.Leader).ToList();
            var top = leaders.OrderByDescending(node => node.Term).FirstOrDefault();
            return top;
        }
    }

    /// <summary>Elects <paramref name="id"/> by campaigning it and stabilizing.</summary>
    public RaftNode Elect(int id)
    {
        Campaign(id);
        var node = this[id];
        Assert.Equal(RaftRole.Leader, node.Role);
        return node;
    }
}
