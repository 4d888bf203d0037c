using Microsoft.Extensions.Logging;

namespace AkkaKv.Raft;

/// <summary>
/// One replica of a Raft group as a deterministic state machine (etcd's RawNode is the model): inputs are
/// <see cref="Tick"/>, <see cref="Step"/>, <see cref="Propose"/>, <see cref="ProposeConfChange"/>,
/// <see cref="ReadIndex"/> and <see cref="TransferLeader"/>; the output is a <see cref="Ready"/> that the host
/// carries out and then hands back to <see cref="Advance"/>. No threads, timers, clock or I/O: the same inputs
/// always give the same outputs. Not thread-safe; one owner (an actor) drives it.
/// </summary>
public sealed partial class RaftNode
{
    private readonly RaftOptions _options;
    private readonly Random _random;
    private readonly ILogger _logger;
    private readonly string _group;
    private readonly IRaftLogReader _storage;
    private readonly RaftLog _log;
    private readonly Dictionary<NodeId, Progress> _progress = [];
    private readonly Dictionary<NodeId, bool> _votes = [];
    private List<RaftMessage> _messages = [];
    private List<RaftMessage> _messagesAfterPersist = [];
    private List<ReadState> _readStates = [];
    private List<ReceivedSnapshotChunk> _snapshotChunks = [];
    private RaftHardState _handedOutHardState;
    private Ready? _readyInFlight;

    private int _electionElapsed;
    private int _heartbeatElapsed;
    private int _randomizedElectionTimeout;
    private long _ticks;
    private NodeId _leadTransferee;
    private LogIndex _pendingConfIndex;
    private long _uncommittedBytes;
    private bool _broadcastPending;

    /// <summary>Creates a replica from its persisted state; <paramref name="group"/> names the group in log lines (e.g. "s3").</summary>
    public RaftNode(NodeId id, RaftOptions options, IRaftLogReader storage, Random random, ILogger logger, string? group = null)
    {
        _group = string.IsNullOrEmpty(group) ? "" : group + "/";
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(storage);
        ArgumentNullException.ThrowIfNull(random);
        ArgumentNullException.ThrowIfNull(logger);
        var problems = options.Validate();
        if (problems.Count > 0)
        {
            throw new ArgumentException(string.Join("; ", problems), nameof(options));
        }
        Invariant.Check(!id.IsNone, "a replica needs an id");
        Id = id;
        _options = options;
        _random = random;
        _logger = logger;
        _storage = storage;
        _log = new RaftLog(storage);
        Conf = storage.SnapshotConf;
        var hardState = storage.HardState;
        Term = hardState.Term;
        Vote = hardState.Vote;
        _handedOutHardState = new RaftHardState(Term, Vote, _log.Committed);
        Role = RaftRole.Follower;
        ResetRandomizedElectionTimeout();
    }

    /// <summary>This replica's id.</summary>
    public NodeId Id { get; }

    /// <summary>The current term.</summary>
    public Term Term { get; private set; }

    /// <summary>Who this replica voted for in <see cref="Term"/>, or none.</summary>
    public NodeId Vote { get; private set; }

    /// <summary>The leader of <see cref="Term"/> as far as this replica knows, or none.</summary>
    public NodeId Leader { get; private set; }

    /// <summary>The role in <see cref="Term"/>.</summary>
    public RaftRole Role { get; private set; }

    /// <summary>The membership as of the last applied membership change.</summary>
    public ConfState Conf { get; private set; }

    /// <summary>The commit index.</summary>
    public LogIndex Committed => _log.Committed;

    /// <summary>
    /// On a leader: the highest index known replicated on each member, itself and learners included (how far a new
    /// replica has caught up); empty on other roles.
    /// </summary>
    public IReadOnlyDictionary<NodeId, LogIndex> MatchIndexes =>
        Role == RaftRole.Leader ? _progress.ToDictionary(pair => pair.Key, pair => pair.Value.Match) : new Dictionary<NodeId, LogIndex>();

    /// <summary>The highest index the host reported applied.</summary>
    public LogIndex Applied => _log.Applied;

    /// <summary>The last index of the log (persisted or not).</summary>
    public LogIndex LastIndex => _log.LastIndex;

    /// <summary>The leader-transfer target in progress, or none.</summary>
    public NodeId LeadTransferee => _leadTransferee;

    /// <summary>True when this replica may campaign: it is a voter.</summary>
    public bool IsPromotable => Conf.Voters.Contains(Id);

    /// <summary>The term of the entry at <paramref name="index"/>, or null when compacted or absent.</summary>
    public Term? TermAt(LogIndex index) => _log.TermAt(index);

    /// <summary>Advances logical time by one tick: election timeouts, heartbeats, check-quorum.</summary>
    public void Tick()
    {
        _ticks++;
        if (TickQuiescent())
        {
            return;
        }
        if (Role == RaftRole.Leader)
        {
            TickLeader();
            MaybeQuiesce();
        }
        else
        {
            TickElection();
        }
    }

    /// <summary>Processes a message from another replica of the group.</summary>
    public StepResult Step(RaftMessage message)
    {
        ArgumentNullException.ThrowIfNull(message);
        if (message.To != Id || message.From == Id)
        {
            return StepResult.Ignored;
        }
        if (_quiescent && Wakes(message))
        {
            Wake();
        }
        if (message.Term > Term)
        {
            if (!StepHigherTerm(message))
            {
                return StepResult.Ignored;
            }
        }
        else if (message.Term < Term)
        {
            StepLowerTerm(message);
            return StepResult.IgnoredStaleTerm;
        }

        if (message is VoteRequest request)
        {
            HandleVoteRequest(request);
            return StepResult.Accepted;
        }
        return Role switch
        {
            RaftRole.Leader => StepLeader(message),
            RaftRole.Candidate or RaftRole.PreCandidate => StepCandidate(message),
            _ => StepFollower(message),
        };
    }

    /// <summary>Proposes a state-machine command. Only a leader accepts; the entry commits only if it survives.</summary>
    public ProposeResult Propose(ReadOnlyMemory<byte> command)
    {
        Invariant.Check(!ConfChange.IsEncoded(command.Span), "command data must not look like a membership change");
        return ProposeEntry(RaftEntryKind.Normal, command);
    }

    /// <summary>Proposes a single-node membership change; refused while another is in flight (thesis §4.1).</summary>
    public ProposeResult ProposeConfChange(ConfChange change)
    {
        ArgumentNullException.ThrowIfNull(change);
        Wake();
        if (Role != RaftRole.Leader)
        {
            return new ProposeResult.NotLeader(Leader);
        }
        if (_pendingConfIndex > _log.Applied)
        {
            return new ProposeResult.Dropped($"a membership change (at {_pendingConfIndex}) is not yet applied");
        }
        var next = Conf.Apply(change);
        if (next.Voters.Count == 0)
        {
            return new ProposeResult.Dropped("the last voter cannot be removed");
        }
        var result = ProposeEntry(RaftEntryKind.ConfChange, change.Encode());
        if (result is ProposeResult.Accepted accepted)
        {
            _pendingConfIndex = accepted.Index;
        }
        return result;
    }

    /// <summary>
    /// Asks for a linearizable read point (ReadIndex, thesis §6.4). <see cref="ProposeResult.Accepted"/> means the
    /// request is under way: a <see cref="ReadState"/> with <paramref name="requestId"/> appears in a later ready
    /// unless leadership is lost first (the host times such reads out).
    /// </summary>
    public ProposeResult ReadIndex(ulong requestId)
    {
        Wake();
        switch (Role)
        {
            case RaftRole.Leader:
                HandleReadIndex(requestId, Id);
                return new ProposeResult.Accepted(_log.Committed, Term);
            case RaftRole.Follower when !Leader.IsNone:
                SendAfterPersist(new ReadIndexRequest(Id, Leader, Term, requestId));
                return new ProposeResult.Accepted(_log.Committed, Term);
            default:
                return new ProposeResult.NotLeader(Leader);
        }
    }

    /// <summary>Hands leadership to <paramref name="target"/> (thesis §3.10): proposals are refused until it takes over or an election timeout passes.</summary>
    public ProposeResult TransferLeader(NodeId target)
    {
        Wake();
        if (Role != RaftRole.Leader)
        {
            return new ProposeResult.NotLeader(Leader);
        }
        if (target == Id)
        {
            return new ProposeResult.Dropped("already the leader");
        }
        if (!Conf.Voters.Contains(target))
        {
            return new ProposeResult.Dropped($"{target} is not a voter");
        }
        if (_leadTransferee != target)
        {
            LogMessages.TransferringLeadership(_logger, _group, Id, target, Term);
            _leadTransferee = target;
            _electionElapsed = 0;
            var progress = _progress[target];
            if (progress.Match == _log.LastIndex)
            {
                Send(new TimeoutNow(Id, target, Term));
            }
            else
            {
                SendAppend(target, sendIfEmpty: true);
            }
        }
        return new ProposeResult.Accepted(_log.LastIndex, Term);
    }

    /// <summary>True when <see cref="TakeReady"/> has work for the host (and no ready is in flight).</summary>
    public bool HasReady =>
        _readyInFlight is null &&
        (_broadcastPending || _messages.Count > 0 || _messagesAfterPersist.Count > 0 || _readStates.Count > 0 || _snapshotChunks.Count > 0 ||
         _log.HasEntriesToPersist || _log.HasEntriesToApply || _log.HasSnapshotToInstall ||
         CurrentHardState != _handedOutHardState);

    /// <summary>Takes the pending work; the host must call <see cref="Advance"/> with it before taking another.</summary>
    public Ready TakeReady()
    {
        Invariant.Check(_readyInFlight is null, "TakeReady called again before Advance");
        if (_broadcastPending)
        {
            _broadcastPending = false;
            if (Role == RaftRole.Leader)
            {
                BroadcastAppend();
            }
        }
        var hardState = CurrentHardState;
        var snapshot = _log.TakeSnapshotToInstall(); // taken before the entries, which may follow it
        var entries = _log.TakeEntriesToPersist();
        var ready = new Ready
        {
            HardState = hardState != _handedOutHardState ? hardState : null,
            MustSync = entries.Count > 0 || snapshot is not null || _snapshotChunks.Count > 0 ||
                hardState.Term != _handedOutHardState.Term || hardState.Vote != _handedOutHardState.Vote,
            Snapshot = snapshot,
            SnapshotChunks = _snapshotChunks,
            Entries = entries,
            Messages = _messages,
            MessagesAfterPersist = _messagesAfterPersist,
            CommittedEntries = _log.TakeEntriesToApply(_options.MaxCommittedBytesPerReady),
            ReadStates = _readStates,
        };
        _handedOutHardState = hardState;
        _messages = [];
        _messagesAfterPersist = [];
        _readStates = [];
        _snapshotChunks = [];
        _readyInFlight = ready;
        return ready;
    }

    /// <summary>The host has carried out <paramref name="ready"/>: its state is durable, its messages sent, its entries applied.</summary>
    public void Advance(Ready ready)
    {
        ArgumentNullException.ThrowIfNull(ready);
        Invariant.Check(ReferenceEquals(ready, _readyInFlight), "Advance with a ready that is not the one in flight");
        _readyInFlight = null;
        if (ready.Snapshot is { } snapshot)
        {
            _log.SnapshotInstalled(snapshot);
        }
        if (ready.Entries.Count > 0)
        {
            var last = ready.Entries[^1];
            _log.StableTo(last.Index, last.Term);
        }
        foreach (var entry in ready.CommittedEntries)
        {
            if (entry.Kind == RaftEntryKind.ConfChange)
            {
                ApplyConfChange(ConfChange.Decode(entry.Data.Span), entry.Index, isBootstrap: entry.Term == Term.Zero);
            }
            if (Role == RaftRole.Leader)
            {
                _uncommittedBytes = Math.Max(0, _uncommittedBytes - entry.SizeBytes);
            }
        }
        if (ready.CommittedEntries.Count > 0)
        {
            _log.AppliedTo(ready.CommittedEntries[^1].Index);
        }
        if (Role == RaftRole.Leader && _progress.TryGetValue(Id, out var self))
        {
            self.MaybeUpdate(_log.PersistedIndex);
            if (MaybeCommit())
            {
                BroadcastAppend();
            }
        }
    }

    private RaftHardState CurrentHardState => new(Term, Vote, _log.Committed);

    private ProposeResult ProposeEntry(RaftEntryKind kind, ReadOnlyMemory<byte> data)
    {
        Wake();
        if (Role != RaftRole.Leader)
        {
            return new ProposeResult.NotLeader(Leader);
        }
        if (!_leadTransferee.IsNone)
        {
            return new ProposeResult.Dropped($"leadership is being transferred to {_leadTransferee}");
        }
        var entry = new RaftEntry(_log.LastIndex.Next(), Term, kind, data);
        if (_uncommittedBytes > 0 && _uncommittedBytes + entry.SizeBytes > _options.MaxUncommittedBytes)
        {
            return new ProposeResult.Dropped("too many uncommitted bytes; retry later");
        }
        _uncommittedBytes += entry.SizeBytes;
        _log.Append([entry]);
        _broadcastPending = true; // one AppendEntries per follower for all proposals until the next ready
        return new ProposeResult.Accepted(entry.Index, Term);
    }

    /// <summary>Queues a message that depends on nothing unpersisted (leader replication).</summary>
    private void Send(RaftMessage message) => _messages.Add(message);

    /// <summary>Queues a message that may only leave once this replica's state is durable.</summary>
    private void SendAfterPersist(RaftMessage message) => _messagesAfterPersist.Add(message);

    private void ResetRandomizedElectionTimeout() =>
        _randomizedElectionTimeout = _options.ElectionTicks + _random.Next(_options.ElectionTicks);

    public override string ToString() => $"{Id} {Role} {Term} last={_log.LastIndex} commit={_log.Committed} applied={_log.Applied}";
}
