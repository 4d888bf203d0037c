using AkkaKv.Raft;
using AkkaKv.Sharding;
using AkkaKv.TestKit.Simulation;

namespace AkkaKv.Simulation.Tests;

/// <summary>
/// An operator changing the group's membership during the load: remove a voter, add it back as a learner, promote
/// it — each step a membership change committed through the log — resending to whoever leads until each step is
/// applied. The removed replica keeps running with its old view, as a real one would.
/// </summary>
internal sealed class SimMembershipChanger
{
    private readonly Random _random;
    private readonly IReadOnlyList<SimNode> _nodes;
    private readonly Func<TimeSpan> _now;
    private readonly Action<string> _note;
    private readonly SimMailbox _inbox;
    private readonly Queue<ConfChange> _plan = new();
    private ConfChange? _current;
    private TimeSpan _resendAt;
    private int _target;
    private long _attempt;

    public SimMembershipChanger(Random random, IReadOnlyList<SimNode> nodes, Func<TimeSpan> now, Action<string> note, SimRuntime runtime)
    {
        _random = random;
        _nodes = nodes;
        _now = now;
        _note = note;
        _inbox = runtime.CreateMailbox("operator", message =>
        {
            if (message is Reply reply)
            {
                OnReply(reply.Attempt, reply.Message);
            }
        });
    }

    public int Completed { get; private set; }

    public bool IsIdle => _current is null && _plan.Count == 0;

    /// <summary>Starts a remove / add-learner / promote cycle for a random replica with probability <paramref name="chance"/>.</summary>
    public void MaybeStart(double chance)
    {
        if (!IsIdle || _random.NextDouble() >= chance)
        {
            return;
        }
        var victim = _nodes[_random.Next(_nodes.Count)].Id;
        _plan.Enqueue(new ConfChange(ConfChangeKind.RemoveNode, victim));
        _plan.Enqueue(new ConfChange(ConfChangeKind.AddLearner, victim));
        _plan.Enqueue(new ConfChange(ConfChangeKind.AddVoter, victim));
        _note($"membership: cycle {victim} out and back in");
        Next();
    }

    public void Step()
    {
        if (_current is not null && _now() >= _resendAt)
        {
            Send();
        }
    }

    private void Next()
    {
        _current = _plan.Count > 0 ? _plan.Dequeue() : null;
        if (_current is not null)
        {
            Send();
        }
    }

    private void Send()
    {
        _resendAt = _now() + TimeSpan.FromMilliseconds(500);
        var node = _nodes[_target];
        if (!node.IsUp)
        {
            _target = _random.Next(_nodes.Count);
            return;
        }
        var attempt = ++_attempt;
        node.Deliver(new SimRequest(new ChangeMembership(_current!), new SimReplyTo<ShardReply>(_inbox, reply => new Reply(attempt, reply))));
    }

    private void OnReply(long attempt, ShardReply reply)
    {
        if (attempt != _attempt || _current is null)
        {
            return;
        }
        switch (reply)
        {
            case AdminAccepted:
                _note($"membership: {_current} applied");
                Completed++;
                Next();
                break;
            case NotLeader { Leader.IsNone: false } notLeader:
                _target = (int)notLeader.Leader.Value - 1;
                _resendAt = _now();
                break;
            default:
                _target = _random.Next(_nodes.Count);
                break;
        }
    }

    private sealed record Reply(long Attempt, ShardReply Message);
}
