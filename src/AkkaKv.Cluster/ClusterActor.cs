using AkkaKv.Actors;

namespace AkkaKv.Cluster;

/// <summary>
/// A node's membership agent (Akka's cluster daemon, reduced): joins through the seeds (the first seed forms the
/// cluster when no other seed is in one), gossips its <see cref="MembershipState"/> to a random member every gossip
/// interval, heartbeats the members it monitors into phi-accrual detectors and records (un)reachability, runs the
/// leader's actions when it leads, downs members with the split-brain resolver once unreachability is stable, and
/// tells subscribers about membership changes. A member that learns it was downed stops taking part and, by default,
/// starts over as a new incarnation joining through the seeds. All timing comes from the actor's timers on the
/// injected clock, so the deterministic mode runs whole clusters in virtual time.
/// </summary>
public sealed partial class ClusterActor : Actor
{
    private readonly ClusterOptions _options;
    private readonly IClusterTransport _transport;
    private readonly Dictionary<NodeId, PhiAccrualFailureDetector> _detectors = [];
    private readonly List<IActorRef> _subscribers = [];
    private readonly HashSet<string> _seedsNotReady = new(StringComparer.Ordinal);
    private List<string> _formerMembers = [];
    private Member _self;
    private MembershipState _state;
    private long _heartbeatSequence;
    private long _unreachableSinceMs;
    private string _unreachableSet = "";
    private long _joinStartedMs;
    private bool _joined;
    private bool _mayFormCluster;
    private bool _formedCluster;
    private bool _isDown;
    private bool _leaving;

    private readonly MemberDirectory? _directory;

    private ClusterActor(Member self, ClusterOptions options, IClusterTransport transport, MemberDirectory? directory)
    {
        _directory = directory;
        _self = self;
        _options = options;
        _transport = transport;
        _state = MembershipState.Empty.Join(self).SeenBy(self.Node);
        _mayFormCluster = options.Seeds.Count > 0 && string.Equals(options.Seeds[0], self.Address, StringComparison.Ordinal);
    }

    /// <summary>The agent of <paramref name="self"/>; <paramref name="directory"/>, when given, is kept up to date with the members.</summary>
    public static Props Props(Member self, ClusterOptions options, IClusterTransport transport, MemberDirectory? directory = null)
    {
        ArgumentNullException.ThrowIfNull(self);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(transport);
        return Actors.Props.Create(() => new ClusterActor(self, options, transport, directory));
    }

    private long NowMs => Context.System.TimeProvider.GetUtcNow().ToUnixTimeMilliseconds();

    protected override void PreStart()
    {
        Timers.StartPeriodicTimer("gossip", GossipTick.Instance, _options.GossipInterval);
        Timers.StartPeriodicTimer("heartbeat", HeartbeatTick.Instance, _options.FailureDetector.HeartbeatInterval);
        _joinStartedMs = NowMs;
        Log.Joining(_self, _options.Seeds);
        SendJoin();
    }

    protected override void Receive(object message)
    {
        var before = _state;
        switch (message)
        {
            case JoinRequest join when _joined && !_isDown: OnJoinRequest(join); break;
            case JoinRequest join: _transport.Send(join.FromAddress, Stamp(new JoinNotReady())); break;
            case JoinNotReady notReady: _seedsNotReady.Add(notReady.FromAddress); break;
            case GossipEnvelope gossip when _joined && !_isDown: OnGossip(gossip); break;
            case GossipEnvelope gossip when !_joined && gossip.State.Members.ContainsKey(_self.Key): OnWelcome(gossip); break;
            case HeartbeatRequest request when !_isDown: _transport.Send(request.FromAddress, Stamp(new HeartbeatReply(request.Sequence))); break;
            case HeartbeatReply reply: Detector(reply.From).Heartbeat(NowMs); break;
            case GossipTick: OnGossipTick(); break;
            case HeartbeatTick: OnHeartbeatTick(); break;
            case RejoinTick: Rejoin(); break;
            case LeaveCluster leave: _state = _state.Advance(leave.Node, MemberStatus.Leaving); break;
            case DownMember down: _state = _state.Advance(down.Node, MemberStatus.Down); break;
            case GetClusterState: Sender.Tell(new ClusterStateReply(_state, _joined ? _state.Leader?.Node ?? NodeId.None : NodeId.None, _self, _joined, _isDown) { FormedCluster = _formedCluster }); break;
            case SubscribeMembership subscribe: Subscribe(subscribe.Subscriber); break;
            case ClusterMessage: break; // not (or no longer) taking part
            default: Unhandled(message); break;
        }
        if (!_joined)
        {
            return;
        }
        if (!_isDown && _state.Leader?.Node == _self.Node)
        {
            _state = _state.LeaderActions();
        }
        if (!ReferenceEquals(before, _state))
        {
            _state = _state.SeenBy(_self.Node);
            _directory?.Update(_state);
            Publish(before, _state);
            if (_state.Current(_self.Node) is { } current && current.Incarnation == _self.Incarnation && !_isDown)
            {
                // A member that was leaving and is then removed (perhaps before it saw itself Exiting) has left, not been downed.
                _leaving |= current.Status == MemberStatus.Leaving;
                if (current.Status == MemberStatus.Exiting || (current.Status is MemberStatus.Down or MemberStatus.Removed && _leaving))
                {
                    // The leader has taken this member's leaving: it is done here. Tell the others it has seen that,
                    // so the leader removes it at once instead of waiting for it to look dead.
                    _leaving = true;
                    _isDown = true;
                    foreach (var member in _state.Members.Values.Where(member => member.Node != _self.Node && member.Status is not (MemberStatus.Down or MemberStatus.Removed)))
                    {
                        _transport.Send(member.Address, Stamp(new GossipEnvelope(_state)));
                    }
                    Log.Left(current);
                    Tell(new SelfLeft(current));
                }
                else if (current.Status is MemberStatus.Down or MemberStatus.Removed)
                {
                    OnDowned();
                }
            }
        }
    }

    /// <summary>Fills in the sender fields of an outgoing message.</summary>
    private T Stamp<T>(T message) where T : ClusterMessage => message with { From = _self.Node, FromAddress = _self.Address };

    private void OnJoinRequest(JoinRequest join)
    {
        _state = _state.Join(join.Joining).SeenBy(_self.Node);
        // Welcome the joiner right away with the table that holds it; it starts gossiping from there.
        _transport.Send(join.FromAddress, Stamp(new GossipEnvelope(_state)));
    }

    private void OnGossip(GossipEnvelope gossip)
    {
        _state = _state.Merge(gossip.State).SeenBy(_self.Node);
        // Answer a sender that has not seen the merged table (push-pull, as Akka's gossip status exchange): one
        // round trip brings both to the same table, so convergence takes rounds, not luck. This also tells a downed
        // member, to which nobody gossips any more, that it is out.
        if (!_state.Seen.Contains(gossip.From) || _state.Current(gossip.From)?.Status is MemberStatus.Down or MemberStatus.Removed)
        {
            _transport.Send(gossip.FromAddress, Stamp(new GossipEnvelope(_state)));
        }
    }

    private void OnWelcome(GossipEnvelope gossip)
    {
        _joined = true;
        _state = _state.Merge(gossip.State).SeenBy(_self.Node);
        Log.Joined(_self, gossip.FromAddress);
    }

    private void SendJoin()
    {
        foreach (var seed in _options.Seeds.Concat(_formerMembers).Distinct(StringComparer.Ordinal).Where(seed => !string.Equals(seed, _self.Address, StringComparison.Ordinal)))
        {
            _transport.Send(seed, Stamp(new JoinRequest(_self)));
        }
    }

    private void TryToJoin()
    {
        var otherSeeds = _options.Seeds.Where(seed => !string.Equals(seed, _self.Address, StringComparison.Ordinal)).ToList();
        var waited = NowMs - _joinStartedMs;
        if (_mayFormCluster && (otherSeeds.All(_seedsNotReady.Contains) || waited >= _options.SeedNodeTimeout.TotalMilliseconds))
        {
            _joined = true; // the first seed, and no other seed is in a cluster: form one
            _formedCluster = true;
            Log.FormedCluster(_self, waited);
            return;
        }
        SendJoin();
    }

    private void OnGossipTick()
    {
        if (_isDown)
        {
            return;
        }
        if (!_joined)
        {
            TryToJoin();
            return;
        }
        // Gossip goes to live members this node can reach: a dead or downed one would swallow the round.
        var others = _state.Members.Values
            .Where(member => member.Node != _self.Node && member.Status is not (MemberStatus.Down or MemberStatus.Removed) && _state.IsReachable(member.Node))
            .GroupBy(member => member.Node).Select(group => group.MaxBy(member => member.Incarnation)!).ToList();
        if (others.Count > 0)
        {
            // Prefer members that have not seen this table yet, so convergence does not wait on luck.
            var unseen = others.Where(member => !_state.Seen.Contains(member.Node)).ToList();
            var pool = unseen.Count > 0 && Context.Random.Next(2) == 0 ? unseen : others;
            _transport.Send(pool[Context.Random.Next(pool.Count)].Address, Stamp(new GossipEnvelope(_state)));
        }
        ResolveSplitBrain();
    }

    private void OnHeartbeatTick()
    {
        if (_isDown || !_joined)
        {
            return;
        }
        var now = NowMs;
        foreach (var member in Monitored())
        {
            _transport.Send(member.Address, Stamp(new HeartbeatRequest(++_heartbeatSequence)));
            var detector = Detector(member.Node);
            if (!detector.IsMonitoring)
            {
                detector.Heartbeat(now); // start judging from the first request
            }
            var available = detector.IsAvailable(now);
            var recorded = !_state.Reachability.TryGetValue((_self.Node, member.Node), out var record) || record.Reachable;
            if (available != recorded)
            {
                _state = _state.Observe(_self.Node, member.Node, available).SeenBy(_self.Node);
            }
        }
    }

    /// <summary>The members after this one on the ring of live members sorted by id (each is watched by several).</summary>
    private List<Member> Monitored()
    {
        var ring = _state.Members.Values
            .Where(member => member.Status is not (MemberStatus.Down or MemberStatus.Removed))
            .GroupBy(member => member.Node).Select(group => group.MaxBy(member => member.Incarnation)!)
            .OrderBy(member => member.Node).ToList();
        var at = ring.FindIndex(member => member.Node == _self.Node);
        if (at < 0)
        {
            return [];
        }
        var count = Math.Min(_options.MonitoredByNrOfMembers, ring.Count - 1);
        return [.. Enumerable.Range(1, count).Select(step => ring[(at + step) % ring.Count])];
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
        Log.SplitBrainDecision(_self.Name, decision.Reason, decision.Down);
        foreach (var node in decision.Down)
        {
            _state = _state.Advance(node, MemberStatus.Down);
        }
    }

    private void OnDowned()
    {
        _isDown = true; // the cluster moved on without this member: stop taking part
        if (!_options.RejoinWhenDowned)
        {
            Log.DownedStayingOut(_self);
        }
        else
        {
            Log.DownedRejoining(_self, _options.StableAfter);
            // Wait so the others have removed this incarnation before the new one asks to join.
            Timers.StartSingleTimer("rejoin", RejoinTick.Instance, _options.StableAfter);
        }
    }

    private void Rejoin()
    {
        // Ask the members this node knew as well as the seeds: when the seeds themselves were on the downed side,
        // the surviving members are the only ones still in a cluster.
        _formerMembers = [.. _state.Members.Values
            .Where(member => member.Node != _self.Node && member.Status is not (MemberStatus.Down or MemberStatus.Removed))
            .Select(member => member.Address)];
        var incarnation = Math.Max(_self.Incarnation + 1, (ulong)NowMs);
        _self = _self with { Incarnation = incarnation, Status = MemberStatus.Joining };
        _state = MembershipState.Empty.Join(_self).SeenBy(_self.Node);
        _detectors.Clear();
        _seedsNotReady.Clear();
        _unreachableSet = "";
        _joined = false;
        _isDown = false;
        _mayFormCluster = false; // forming a cluster alone now could split the cluster in two
        _joinStartedMs = NowMs;
        Log.Joining(_self, _options.Seeds);
        SendJoin();
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
        foreach (var (key, member) in after.Members)
        {
            var previous = before.Members.GetValueOrDefault(key);
            if (member.Status == MemberStatus.Up && previous?.Status != MemberStatus.Up)
            {
                Log.MemberUp(_self.Name, member);
                Tell(new MemberUp(member));
            }
            if (member.Status == MemberStatus.Removed && previous?.Status != MemberStatus.Removed)
            {
                Log.MemberRemoved(_self.Name, member);
                Tell(new MemberRemoved(member));
            }
        }
        foreach (var member in after.Members.Values.Where(member => member.Status != MemberStatus.Removed).GroupBy(member => member.Node).Select(group => group.MaxBy(member => member.Incarnation)!))
        {
            if (before.IsReachable(member.Node) && !after.IsReachable(member.Node))
            {
                Log.Unreachable(_self.Name, member);
                Tell(new UnreachableMember(member.Node));
            }
            else if (!before.IsReachable(member.Node) && after.IsReachable(member.Node))
            {
                Log.Reachable(_self.Name, member);
                Tell(new ReachableMember(member.Node));
            }
        }
        if (before.Leader?.Node != after.Leader?.Node && after.Leader is { } leader)
        {
            Log.LeaderChanged(_self.Name, leader);
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

    private sealed record RejoinTick
    {
        public static readonly RejoinTick Instance = new();
    }
}
