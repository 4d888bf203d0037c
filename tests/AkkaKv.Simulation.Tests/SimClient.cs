using System.Text;
using AkkaKv.Sharding;
using AkkaKv.Store;
using AkkaKv.TestKit.Linearizability;
using AkkaKv.TestKit.Simulation;

namespace AkkaKv.Simulation.Tests;

/// <summary>
/// A client of the simulated group: one operation at a time against the replica it believes leads, retried (with
/// the same idempotency key) on "not leader", "unavailable" and per-attempt timeouts until it gets an answer or its
/// deadline passes. Every operation lands in the history with call and return positions from one global event
/// counter, so real-time order is exact.
/// </summary>
internal sealed class SimClient
{
    private readonly int _id;
    private readonly Random _random;
    private readonly SimOptions _options;
    private readonly ISimTargets _nodes;
    private readonly List<KvOperation> _history;
    private readonly Func<long> _nextEvent;
    private readonly Func<TimeSpan> _now;
    private readonly Dictionary<string, (string? Value, LogIndex Version)> _lastRead = [];
    private Pending? _pending;
    private int _believedLeader;
    private int _sequence;
    private long _nextRequestId;

    public SimClient(int id, Random random, SimOptions options, ISimTargets nodes, List<KvOperation> history, Func<long> nextEvent, Func<TimeSpan> now, SimRuntime runtime)
    {
        _inbox = runtime.CreateMailbox($"client-{id}", message =>
        {
            if (message is Envelope envelope)
            {
                OnReply(envelope.RequestId, envelope.Reply);
            }
        });
        _id = id;
        _random = random;
        _options = options;
        _nodes = nodes;
        _history = history;
        _nextEvent = nextEvent;
        _now = now;
        _believedLeader = random.Next(nodes.Count);
    }

    private readonly SimMailbox _inbox;

    /// <summary>Where attempts and replies are logged, when the simulation keeps a log.</summary>
    public SimLog? Log { get; set; }

    public bool IsIdle => _pending is null;

    private sealed class Pending
    {
        public required KvOperationKind Kind { get; init; }
        public required string Key { get; init; }
        public string? Value { get; init; }
        public string? Expected { get; init; }
        public required ShardRequest Request { get; init; }
        public required long CallEvent { get; init; }
        public required TimeSpan Deadline { get; init; }
        public long RequestId { get; set; }
        public TimeSpan AttemptDeadline { get; set; }
        public bool MayHaveApplied { get; set; }
        public bool AwaitingReply { get; set; }
        public bool ResendDue { get; set; }
    }

    private sealed record Envelope(long RequestId, ShardReply Reply);

    /// <summary>Starts a random operation with probability <paramref name="chance"/> when idle.</summary>
    public void MaybeIssue(double chance)
    {
        if (_pending is null && _random.NextDouble() < chance)
        {
            Issue(RandomOperation());
        }
    }

    /// <summary>Starts a linearizable read of <paramref name="key"/> (the final reads of a run).</summary>
    public void IssueRead(string key) => Issue(NewRead(key));

    private Pending RandomOperation()
    {
        var key = $"k{_random.Next(_options.Keys)}";
        var tag = $"{_id}-{++_sequence};";
        var idempotencyKey = $"c{tag}";
        var roll = _random.Next(100);
        if (roll < 35)
        {
            return NewRead(key);
        }
        if (roll < 55)
        {
            var value = $"p{tag}";
            return NewWrite(KvOperationKind.Put, key, value, null, new KvPut(key, Encoding.UTF8.GetBytes(value), KvCondition.None, idempotencyKey));
        }
        if (roll < 85)
        {
            var value = $"a{tag}";
            return NewWrite(KvOperationKind.Append, key, value, null, new KvAppend(key, Encoding.UTF8.GetBytes(value), KvCondition.None, idempotencyKey));
        }
        if (roll < 90)
        {
            return NewWrite(KvOperationKind.Delete, key, null, null, new KvDelete(key, KvCondition.None, idempotencyKey));
        }
        if (!_lastRead.TryGetValue(key, out var seen))
        {
            return NewRead(key);
        }
        // Values are unique per write, so "still the version I read" is "still the value I read".
        var swapped = $"c{tag}";
        KvCondition condition = seen.Value is null ? KvCondition.MustNotExist : new KvCondition.VersionIs(seen.Version);
        return NewWrite(KvOperationKind.CompareAndSwap, key, swapped, seen.Value, new KvPut(key, Encoding.UTF8.GetBytes(swapped), condition, idempotencyKey));
    }

    private Pending NewRead(string key) => new()
    {
        Kind = KvOperationKind.Get,
        Key = key,
        Request = new ReadRequest(key, ReadConsistency.Linearizable),
        CallEvent = _nextEvent(),
        Deadline = _now() + (3 * _options.ClientTimeout),
    };

    private Pending NewWrite(KvOperationKind kind, string key, string? value, string? expected, KvCommand command) => new()
    {
        Kind = kind,
        Key = key,
        Value = value,
        Expected = expected,
        Request = new WriteRequest(command),
        CallEvent = _nextEvent(),
        Deadline = _now() + (3 * _options.ClientTimeout),
    };

    private void Issue(Pending pending)
    {
        _pending = pending;
        if (_random.NextDouble() < _options.ClientRoams)
        {
            _believedLeader = _random.Next(_nodes.Count);
        }
        Send(pending);
    }

    private void Send(Pending pending)
    {
        pending.ResendDue = false;
        pending.RequestId = ++_nextRequestId;
        pending.AttemptDeadline = _now() + _options.ClientTimeout;
        if (_believedLeader >= _nodes.Count || !_nodes.IsUp(_believedLeader))
        {
            _believedLeader = _random.Next(_nodes.Count);
            pending.ResendDue = true;
            return;
        }
        var requestId = pending.RequestId;
        pending.AwaitingReply = true;
        Log?.Line($"client {_id}", $"attempt #{requestId} {pending.Kind} {pending.Key} {pending.Value} -> n{_believedLeader + 1}");
        _nodes.Deliver(_believedLeader, pending.Key, pending.Request, new SimReplyTo<ShardReply>(_inbox, reply => new Envelope(requestId, reply)));
    }

    /// <summary>Called each step: resends and timeouts.</summary>
    public void Step()
    {
        if (_pending is not { } pending)
        {
            return;
        }
        var now = _now();
        if (now >= pending.Deadline)
        {
            // An attempt still unanswered may yet be applied: only refusals on every attempt mean "not applied".
            var unknown = pending.MayHaveApplied || pending.AwaitingReply || pending.Kind == KvOperationKind.Get;
            Finish(unknown ? KvOperationStatus.Info : KvOperationStatus.Fail, null, false);
            return;
        }
        if (now >= pending.AttemptDeadline)
        {
            pending.MayHaveApplied = true; // the attempt may still land
            _believedLeader = _random.Next(_nodes.Count);
            Send(pending);
        }
        else if (pending.ResendDue)
        {
            Send(pending);
        }
    }

    /// <summary>A reply for request <paramref name="requestId"/> arrived in this client's inbox.</summary>
    private void OnReply(long requestId, ShardReply reply)
    {
        Log?.Line($"client {_id}", $"reply to #{requestId}: {reply}");
        if (_pending is not { } pending || pending.RequestId != requestId)
        {
            return; // an answer to an attempt we gave up on
        }
        pending.AwaitingReply = false;
        switch (reply)
        {
            case ReadReply read:
                var text = read.Value is { } value ? Encoding.UTF8.GetString(value.Value.Span) : null;
                _lastRead[pending.Key] = (text, read.Value?.Version ?? LogIndex.Zero);
                Finish(KvOperationStatus.Ok, text, false);
                break;
            case WriteReply { Result: KvResult.ConditionFailed } when pending.Kind == KvOperationKind.CompareAndSwap:
                Finish(KvOperationStatus.Ok, pending.Value, swapped: false);
                break;
            case WriteReply { Result: KvResult.ConditionFailed failed }:
                throw new InvalidOperationException($"unconditional write failed its condition: {failed}");
            case WriteReply:
                Finish(KvOperationStatus.Ok, pending.Value, swapped: true);
                break;
            case NotLeader notLeader:
                _believedLeader = notLeader.Leader.IsNone ? _random.Next(_nodes.Count) : (int)notLeader.Leader.Value - 1;
                pending.ResendDue = true;
                break;
            case ShardUnavailable:
                _believedLeader = _random.Next(_nodes.Count);
                pending.ResendDue = true;
                break;
            case OutcomeUnknown:
                pending.MayHaveApplied = true;
                _believedLeader = _random.Next(_nodes.Count);
                pending.ResendDue = true;
                break;
            default:
                throw new InvalidOperationException($"unexpected reply {reply}");
        }
    }

    private void Finish(KvOperationStatus status, string? value, bool swapped)
    {
        var pending = _pending!;
        _pending = null;
        Log?.Line($"client {_id}", $"{pending.Kind} {pending.Key} {pending.Value} finished: {status}");
        _history.Add(new KvOperation(_id, pending.Kind, pending.Key,
            pending.Kind == KvOperationKind.Get ? value : pending.Value,
            pending.CallEvent, status == KvOperationStatus.Info ? double.MaxValue : _nextEvent(), status, pending.Expected, swapped));
    }
}
