using AkkaKv.Actors;

namespace AkkaKv.Cluster;

/// <summary>
/// A node's membership agent (Akka's cluster daemon, reduced): joins through the seeds, gossips its
/// <see cref="MembershipState"/> to a random member every gossip interval, heartbeats the members it monitors into
/// phi-accrual detectors and records (un)reachability, runs the leader's actions when it leads and the table has
/// converged, downs members with the split-brain resolver once unreachability is stable, and tells subscribers about
/// membership changes. A member that learns it was downed stops taking part. All timing comes from the actor's timers
/// on the injected clock, so the deterministic mode runs whole clusters in virtual time.
/// </summary>
public sealed partial class ClusterActor : Actor
{
    private readonly Member _self;
    private readonly ClusterOptions _options;
    private readonly IClusterTransport _transport;
    private readonly Dictionary<NodeId, PhiAccrualFailureDetector> _detectors = [];
    private readonly List<IActorRef> _subscribers = [];
    private MembershipState _state;
    private long _heartbeatSequence;
    private long _unreachableSinceMs;
    private string _unreachableSet = "";
    private bool _isDown;

    private ClusterActor(Member self, ClusterOptions options, IClusterTransport transport)
    {
        _self = self;
        _options = options;
        _transport = transport;
        _state = MembershipState.Empty.Join(self).SeenBy(self.Node);
    }

    public static Props Props(Member self, ClusterOptions options, IClusterTransport transport)
    {
        ArgumentNullException.ThrowIfNull(self);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(transport);
        return Actors.Props.Create(() => new ClusterActor(self, options, transport));
    }

    private long NowMs => Context.System.TimeProvider.GetUtcNow().ToUnixTimeMilliseconds();

    protected override void PreStart()
    {
        Timers.StartPeriodicTimer("gossip", GossipTick.Instance, _options.GossipInterval);
        Timers.StartPeriodicTimer("heartbeat", HeartbeatTick.Instance, _options.FailureDetector.HeartbeatInterval);
        SendJoin();
    }

    protected override void Receive(object message)
    {
        var before = _state;
        switch (message)
        {
            case JoinRequest join when !_isDown: _state = _state.Join(join.Joining); break;
            case GossipEnvelope gossip when !_isDown: _state = _state.Merge(gossip.State).SeenBy(_self.Node); break;
            case HeartbeatRequest request when !_isDown: _transport.Send(request.From, new HeartbeatReply(request.Sequence) { From = _self.Node }); break;
            case HeartbeatReply reply: Detector(reply.From).Heartbeat(NowMs); break;
            case GossipTick: OnGossipTick(); break;
            case HeartbeatTick: OnHeartbeatTick(); break;
            case LeaveCluster: _state = _state.Advance(_self.Node, MemberStatus.Leaving); break;
            case DownMember down: _state = _state.Advance(down.Node, MemberStatus.Down); break;
            case GetClusterState: Sender.Tell(new ClusterStateReply(_state, _state.Leader?.Node ?? NodeId.None, _isDown)); break;
            case SubscribeMembership subscribe: Subscribe(subscribe.Subscriber); break;
            case ClusterMessage: break; // this member is down: it no longer takes part
            default: Unhandled(message); break;
        }
        if (!_isDown && _state.Leader?.Node == _self.Node)
        {
            _state = _state.LeaderActions();
        }
        if (!ReferenceEquals(before, _state))
        {
            _state = _state.SeenBy(_self.Node);
            Publish(before, _state);
            if (_state.Current(_self.Node)?.Status is MemberStatus.Down or MemberStatus.Removed && !_isDown)
            {
                _isDown = true; // the cluster moved on without us: stop taking part (the node should restart)
                Timers.Cancel("gossip");
            }
        }
    }

    private void SendJoin()
    {
        foreach (var seed in _options.Seeds.Where(seed => seed != _self.Node))
        {
            _transport.Send(seed, new JoinRequest(_self) { From = _self.Node });
        }
    }

    private void OnGossipTick()
    {
        if (_isDown)
        {
            return;
        }
        var others = _state.Members.Values
            .Where(member => member.Node != _self.Node && member.Status != MemberStatus.Removed)
            .Select(member => member.Node).Distinct().ToList();
        if (others.Count == 0)
        {
            SendJoin(); // alone: keep asking the seeds
            return;
        }
        // Prefer members that have not seen this table yet, so convergence does not wait on luck.
        var unseen = others.Where(node => !_state.Seen.Contains(node)).ToList();
        var pool = unseen.Count > 0 && Context.Random.Next(2) == 0 ? unseen : others;
        _transport.Send(pool[Context.Random.Next(pool.Count)], new GossipEnvelope(_state) { From = _self.Node });
        ResolveSplitBrain();
    }

    private void OnHeartbeatTick()
    {
        if (_isDown)
        {
            return;
        }
        var now = NowMs;
        foreach (var node in Monitored())
        {
            _transport.Send(node, new HeartbeatRequest(++_heartbeatSequence) { From = _self.Node });
            var detector = Detector(node);
            if (!detector.IsMonitoring)
            {
                detector.Heartbeat(now); // start judging from the first request
            }
            var available = detector.IsAvailable(now);
            var recorded = !_state.Reachability.TryGetValue((_self.Node, node), out var record) || record.Reachable;
            if (available != recorded)
            {
                _state = _state.Observe(_self.Node, node, available).SeenBy(_self.Node);
            }
        }
    }

    /// <summary>The members after this one on the ring of live members sorted by id (each is watched by several).</summary>
    private IEnumerable<NodeId> Monitored()
    {
        var ring = _state.Members.Values
            .Where(member => member.Status is not (MemberStatus.Down or MemberStatus.Removed))
            .Select(member => member.Node).Distinct().Order().ToList();
        var at = ring.IndexOf(_self.Node);
        if (at < 0)
        {
            return [];
        }
        var count = Math.Min(_options.MonitoredByNrOfMembers, ring.Count - 1);
        return Enumerable.Range(1, count).Select(step => ring[(at + step) % ring.Count]);
    }

    private PhiAccrualFailureDetector Detector(NodeId node)
    {
        if (!_detectors.TryGetValue(node, out var detector))
        {
            _detectors[node] = detector = new PhiAccrualFailureDetector(_options.FailureDetector);
        }
        return detector;
    }

    private void ResolveSplitBrain()
    {
        var unreachable = string.Join(',', _state.Members.Values
            .Where(member => member.Status is not (MemberStatus.Down or MemberStatus.Removed) && !_state.IsReachable(member.Node))
            .Select(member => member.Node).Order());
        if (unreachable != _unreachableSet)
        {
            _unreachableSet = unreachable;
            _unreachableSinceMs = NowMs;
            return;
        }
        if (unreachable.Length == 0 || NowMs - _unreachableSinceMs < _options.StableAfter.TotalMilliseconds)
        {
            return;
        }
        var decision = SplitBrainResolver.Decide(_state, _self.Node, _options.Downing, _options.StaticQuorum);
        Log.SplitBrainDecision(_self.Node, decision.Reason, string.Join(',', decision.Down));
        foreach (var node in decision.Down)
        {
            _state = _state.Advance(node, MemberStatus.Down);
        }
    }

    private void Subscribe(IActorRef subscriber)
    {
        _subscribers.Add(subscriber);
        foreach (var member in _state.Members.Values.Where(member => member.Status is MemberStatus.Up or MemberStatus.Leaving))
        {
            subscriber.Tell(new MemberUp(member));
        }
    }

    private void Publish(MembershipState before, MembershipState after)
    {
        if (_subscribers.Count == 0)
        {
            return;
        }
        foreach (var (key, member) in after.Members)
        {
            var previous = before.Members.GetValueOrDefault(key);
            if (member.Status == MemberStatus.Up && previous?.Status != MemberStatus.Up)
            {
                Tell(new MemberUp(member));
            }
            if (member.Status == MemberStatus.Removed && previous?.Status != MemberStatus.Removed)
            {
                Tell(new MemberRemoved(member));
            }
        }
        foreach (var node in after.Members.Values.Select(member => member.Node).Distinct())
        {
            if (before.IsReachable(node) && !after.IsReachable(node))
            {
                Tell(new UnreachableMember(node));
            }
            else if (!before.IsReachable(node) && after.IsReachable(node))
            {
                Tell(new ReachableMember(node));
            }
        }
        if (before.Leader?.Node != after.Leader?.Node && after.Leader is { } leader)
        {
            Tell(new LeaderChanged(leader.Node));
        }
    }

    private void Tell(MembershipEvent change)
    {
        foreach (var subscriber in _subscribers)
        {
            subscriber.Tell(change);
        }
    }

    private sealed record GossipTick
    {
        public static readonly GossipTick Instance = new();
    }

    private sealed record HeartbeatTick
    {
        public static readonly HeartbeatTick Instance = new();
    }
}
