using AkkaKv.Raft;
using AkkaKv.Sharding;

namespace AkkaKv.Simulation.Tests;

/// <summary>
/// The simulated network between replicas: every message gets a random delay (so messages reorder), some are lost
/// or duplicated, and directed links can be cut to make symmetric, asymmetric or bridge partitions. Deliveries
/// happen when the simulator calls <see cref="DeliverDue"/>, in virtual time.
/// </summary>
internal sealed class SimNetwork(Random random, SimOptions options, Func<TimeSpan> now) : IRaftTransport
{
    private readonly PriorityQueue<(ShardId Shard, RaftMessage Message), (TimeSpan Due, long Sequence)> _inFlight = new();
    private readonly HashSet<(NodeId From, NodeId To)> _cut = [];
    private readonly Dictionary<NodeId, Action<object>> _replicas = [];
    private readonly HashSet<NodeId> _down = [];
    private long _sequence;

    public long Sent { get; private set; }
    public long Delivered { get; private set; }
    public long SnapshotChunksDelivered { get; private set; }
    public long QuiescingHeartbeatsDelivered { get; private set; }

    public string Partition => _cut.Count == 0 ? "none" : string.Join(' ', _cut.Select(link => $"{link.From}->{link.To}"));

    public void Register(NodeId node, Action<object> deliver)
    {
        _replicas[node] = deliver;
        _down.Remove(node);
    }

    /// <summary>The node crashed: nothing to or from it gets through until it registers again.</summary>
    public void MarkDown(NodeId node) => _down.Add(node);

    public void Send(ShardId shard, RaftMessage message)
    {
        Sent++;
        if (_down.Contains(message.From) || _cut.Contains((message.From, message.To)) || random.NextDouble() < options.MessageLoss)
        {
            return;
        }
        Schedule(shard, message);
        if (random.NextDouble() < options.MessageDuplication)
        {
            Schedule(shard, message);
        }
    }

    private void Schedule(ShardId shard, RaftMessage message)
    {
        var delay = random.NextDouble() < options.LongDelay
            ? TimeSpan.FromMilliseconds(100 + random.Next(400))
            : TimeSpan.FromMilliseconds(1 + random.Next(10));
        _inFlight.Enqueue((shard, message), (now() + delay, _sequence++));
    }

    /// <summary>Delivers every message due by now (cuts and crashes are checked again on arrival).</summary>
    public void DeliverDue()
    {
        var current = now();
        while (_inFlight.TryPeek(out var item, out var due) && due.Due <= current)
        {
            _inFlight.Dequeue();
            var (shard, message) = item;
            if (_down.Contains(message.To) || _cut.Contains((message.From, message.To)) || !_replicas.TryGetValue(message.To, out var deliver))
            {
                continue;
            }
            Delivered++;
            if (message is InstallSnapshot)
            {
                SnapshotChunksDelivered++;
            }
            if (message is Heartbeat { Quiesce: true })
            {
                QuiescingHeartbeatsDelivered++;
            }
            deliver(new RaftEnvelope(shard, message));
        }
    }

    /// <summary>Cuts a random partition among <paramref name="nodes"/>: symmetric, asymmetric or a bridge.</summary>
    public string CutRandomPartition(IReadOnlyList<NodeId> nodes)
    {
        _cut.Clear();
        var shuffled = nodes.OrderBy(_ => random.Next()).ToList();
        var split = 1 + random.Next(nodes.Count - 1);
        var left = shuffled.Take(split).ToList();
        var right = shuffled.Skip(split).ToList();
        switch (random.Next(3))
        {
            case 0:
                CutBetween(left, right, bothWays: true);
                return $"symmetric {Names(left)} | {Names(right)}";
            case 1:
                CutBetween(left, right, bothWays: false);
                return $"asymmetric {Names(left)} -/-> {Names(right)}";
            default:
                if (nodes.Count < 3)
                {
                    CutBetween(left, right, bothWays: true);
                    return $"symmetric {Names(left)} | {Names(right)}";
                }
                var bridge = shuffled[0];
                var sideA = shuffled.Skip(1).Take((nodes.Count - 1) / 2).ToList();
                var sideB = shuffled.Skip(1 + sideA.Count).ToList();
                CutBetween(sideA, sideB, bothWays: true);
                return $"bridge {bridge} between {Names(sideA)} and {Names(sideB)}";
        }
    }

    /// <summary>Cuts <paramref name="node"/> off from every other of <paramref name="nodes"/>, both ways or only its outgoing links.</summary>
    public string Isolate(NodeId node, IReadOnlyList<NodeId> nodes)
    {
        _cut.Clear();
        var others = nodes.Where(other => other != node).ToList();
        var bothWays = random.Next(2) == 0;
        CutBetween([node], others, bothWays);
        return bothWays ? $"isolate {node}" : $"isolate {node}'s outgoing links";
    }

    private void CutBetween(List<NodeId> left, List<NodeId> right, bool bothWays)
    {
        foreach (var a in left)
        {
            foreach (var b in right)
            {
                _cut.Add((a, b));
                if (bothWays)
                {
                    _cut.Add((b, a));
                }
            }
        }
    }

    public void Heal() => _cut.Clear();

    private static string Names(IEnumerable<NodeId> nodes) => string.Join(',', nodes);
}
