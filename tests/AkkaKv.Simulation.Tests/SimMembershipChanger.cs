using AkkaKv.Actors;
using AkkaKv.Raft;
using AkkaKv.Sharding;

namespace AkkaKv.Simulation.Tests;

/// <summary>
/// An operator changing the group's membership during the load: remove a voter, add it back as a learner, promote
/// it — each step a membership change committed through the log — resending to whoever leads until each step is
/// applied. The removed replica keeps running with its old view, as a real one would.
/// </summary>
internal sealed class SimMembershipChanger(Random random, IReadOnlyList<SimNode> nodes, Func<TimeSpan> now, Action<string> note)
{
    private readonly Queue<ConfChange> _plan = new();
    private ConfChange? _current;
    private TimeSpan _resendAt;
    private int _target;
    private long _attempt;

    public IActorRef Self { get; set; } = null!;

    public int Completed { get; private set; }

    public bool IsIdle => _current is null && _plan.Count == 0;

    /// <summary>Starts a remove / add-learner / promote cycle for a random replica with probability <paramref name="chance"/>.</summary>
    public void MaybeStart(double chance)
    {
        if (!IsIdle || random.NextDouble() >= chance)
        {
            return;
        }
        var victim = nodes[random.Next(nodes.Count)].Id;
        _plan.Enqueue(new ConfChange(ConfChangeKind.RemoveNode, victim));
        _plan.Enqueue(new ConfChange(ConfChangeKind.AddLearner, victim));
        _plan.Enqueue(new ConfChange(ConfChangeKind.AddVoter, victim));
        note($"membership: cycle {victim} out and back in");
        Next();
    }

    public void Step()
    {
        if (_current is not null && now() >= _resendAt)
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
        _resendAt = now() + TimeSpan.FromMilliseconds(500);
        var node = nodes[_target];
        if (!node.IsUp)
        {
            _target = random.Next(nodes.Count);
            return;
        }
        var attempt = ++_attempt;
        node.Deliver(new ChangeMembership(_current!), new Tagged(Self, attempt));
    }

    public void OnReply(long attempt, object reply)
    {
        if (attempt != _attempt || _current is null)
        {
            return;
        }
        switch (reply)
        {
            case AdminAccepted:
                note($"membership: {_current} applied");
                Completed++;
                Next();
                break;
            case NotLeader { Leader.IsNone: false } notLeader:
                _target = (int)notLeader.Leader.Value - 1;
                _resendAt = now();
                break;
            default:
                _target = random.Next(nodes.Count);
                break;
        }
    }

    private sealed record Reply(long Attempt, object Message);

    private sealed class Tagged(IActorRef inner, long attempt) : IActorRef
    {
        public ActorPath Path => inner.Path;

        public void Tell(object message, IActorRef? sender = null) => inner.Tell(new Reply(attempt, message), sender);
    }

    /// <summary>Receives the replicas' answers on the simulator's thread.</summary>
    public sealed class ChangerActor(SimMembershipChanger changer) : Actor
    {
        protected override void Receive(object message)
        {
            if (message is Reply reply)
            {
                changer.OnReply(reply.Attempt, reply.Message);
            }
        }
    }
}
