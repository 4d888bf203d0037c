using AkkaKv.Persistence;
using AkkaKv.Persistence.Snapshots;
using AkkaKv.Raft;
using AkkaKv.Store;
using Microsoft.Extensions.Logging;

namespace AkkaKv.Sharding;

/// <summary>
/// One replica of a shard's Raft group, as a plain state machine: messages and ticks in; sends, journal writes,
/// replies and posts to itself out. It hosts a <see cref="RaftNode"/> and carries out its readies in the etcd order —
/// send the leader's replication at once, persist entries and hard state to the node WAL (group-committed with every
/// other shard), then send acknowledgements, apply committed entries to the <see cref="KvStateMachine"/> and answer
/// clients, then advance. A single replica is simply a group of one. Recovery is the newest snapshot plus the journal
/// after it. <see cref="Hosting.ShardReplicaHost"/> hosts it in production; the deterministic simulation drives it directly.
/// </summary>
public sealed partial class ShardReplica
{
    private readonly ShardId _shard;
    private readonly NodeId _node;
    private readonly ConfState _initialConf;
    private readonly IJournal _journal;
    private readonly ISnapshotStore _snapshots;
    private readonly IRaftTransport _transport;
    private readonly RaftGroupOptions _options;
    private readonly IActorShell _shell;
    private readonly Random _random;
    private readonly ILogger _log;
    private KvStateMachine _state;
    private ShardRaftStorage _storage = null!;
    private RaftNode? _raft;
    private Ready? _readyInFlight;

    /// <summary>When the core last ticked (<see cref="IActorShell.Time"/> timestamp); 0 before the first tick.</summary>
    private long _lastTickTimestamp;

    /// <summary>The ready in flight whose acknowledgements went out early: only under <see cref="RaftDefects.AcknowledgeBeforeDurable"/>.</summary>
    private Ready? _acknowledgedBeforeDurable;
    private bool _journalFailed;
    private Term _observedTerm;
    private RaftRole _observedRole;

    /// <summary>
    /// <paramref name="node"/>'s replica of <paramref name="shard"/>. <paramref name="initialConf"/> is the membership
    /// a brand-new group starts with (ignored when the shard has state); pass <see cref="ConfState.Empty"/> for a
    /// replica that joins an existing group and learns it from the leader. Call <see cref="Start"/> before anything else.
    /// </summary>
    public ShardReplica(ShardId shard, NodeId node, ConfState initialConf, IJournal journal, ISnapshotStore snapshots, IRaftTransport transport,
        RaftGroupOptions options, IActorShell shell, Random random, ILogger logger)
    {
        ArgumentNullException.ThrowIfNull(initialConf);
        ArgumentNullException.ThrowIfNull(journal);
        ArgumentNullException.ThrowIfNull(snapshots);
        ArgumentNullException.ThrowIfNull(transport);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(shell);
        ArgumentNullException.ThrowIfNull(random);
        ArgumentNullException.ThrowIfNull(logger);
        _shard = shard;
        _node = node;
        _initialConf = initialConf;
        _journal = journal;
        _snapshots = snapshots;
        _transport = transport;
        _options = options;
        _shell = shell;
        _random = random;
        _log = logger;
        _state = NewStateMachine();
        // A follower's read is matched to the leader's answer by its id, and an answer sent to an earlier incarnation
        // of this replica (before a crash) can still arrive: ids starting at 1 again would match it to a new read
        // and serve that read at the old, lower index — a stale linearizable read. Each incarnation starts elsewhere.
        _lastReadId = (ulong)random.NextInt64();
    }

    /// <summary>The shard this replica belongs to.</summary>
    public ShardId Shard => _shard;

    /// <summary>Recovers from the snapshot and the journal (or bootstraps a new group); runs once, first.</summary>
    public void Start() => Recover();

    /// <summary>Releases open snapshot files; the replica is not used afterwards.</summary>
    public void Stop()
    {
        _incomingSnapshot?.Abandon();
        _outgoingSnapshot?.Dispose();
    }

    /// <summary>One Raft tick (election and heartbeat timeouts count them).</summary>
    public void Tick()
    {
        if (_raft is null || _journalFailed)
        {
            return; // a replica that cannot persist must not time out, campaign or heartbeat
        }
        _lastTickTimestamp = _shell.Time.GetTimestamp();
        Around(static raft => raft.Tick());
    }

    /// <summary>
    /// With lease reads, first gives the core the ticks it missed. Ticks are timer messages: a process that stalls (a
    /// long GC pause, a frozen VM) gets no ticks meanwhile and, on resuming, handles what queued up — a client's read,
    /// a follower's read request — before the overdue tick. The lease is counted in ticks, so it would still look
    /// fresh, and a deposed leader would answer from it (found by the simulation: pauses of 3 s, stale reads). With
    /// the missed ticks counted first, an expired lease is seen as expired and the read takes a heartbeat round.
    /// </summary>
    private void CatchUpMissedTicks()
    {
        if (!_options.Raft.LeaseReads || _lastTickTimestamp == 0)
        {
            return; // without a lease a late tick only delays timeouts, which is safe
        }
        // One interval of slack for a timer that is merely late; the burst is bounded, a few election timeouts suffice.
        var missed = (long)(_shell.Time.GetElapsedTime(_lastTickTimestamp) / _options.TickInterval) - 1;
        for (var tick = Math.Min(missed, 4L * _options.Raft.ElectionTicks); tick > 0 && _raft is not null && !_journalFailed; tick--)
        {
            Tick();
        }
    }

    /// <summary>Wakes the replica from quiescence (the node's membership changed).</summary>
    public void Wake()
    {
        if (_raft is not null)
        {
            Around(static raft => raft.Wake());
        }
    }

    /// <summary>A Raft message from a peer replica of the group.</summary>
    public void Step(RaftMessage message)
    {
        if (_raft is null || _journalFailed)
        {
            return; // before the group is durable, or after the disk failed, it must not vote or acknowledge (as if lost)
        }
        CatchUpMissedTicks();
        Around(raft => raft.Step(message));
    }

    /// <summary>A client's request; every request is answered once, through <paramref name="replyTo"/>.</summary>
    public void Handle(ShardRequest request, IReplyTo<ShardReply> replyTo)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(replyTo);
        if (_raft is null)
        {
            HoldWhileStarting(request, replyTo);
            return;
        }
        ObserveLeadership(); // a change made outside a message (start-up) must not fail reads that arrive after it
        CatchUpMissedTicks(); // each tick observes leadership itself
        switch (request)
        {
            case WriteRequest write: OnWrite(write, replyTo); break;
            case ReadRequest read: OnRead(read, replyTo); break;
            case ScanRequest scan: OnScan(scan, replyTo); break;
            case GetShardStatus: replyTo.Tell(Status()); break;
            case TransferLeadership transfer: OnTransferLeadership(transfer, replyTo); break;
            case ChangeMembership change: OnChangeMembership(change, replyTo); break;
            default: throw new InvalidOperationException($"Unhandled request {request}");
        }
        ObserveLeadership();
        ProcessReady();
    }

    /// <summary>A message this replica posted to itself (a journal callback's outcome).</summary>
    public void Handle(ShardReplicaSignal signal)
    {
        ArgumentNullException.ThrowIfNull(signal);
        switch (signal)
        {
            case Bootstrapped bootstrapped:
                OnBootstrapped(bootstrapped);
                return;
            case ReadyPersisted persisted:
                OnReadyPersisted(persisted);
                break;
            case CompactFailed failed:
                _log.CompactionFailed(_shard, failed.Cause);
                break;
            case CommitWriteFailed failed when !_journalFailed:
                OnJournalFailed(failed.Cause);
                break;
            case CommitWriteFailed:
                break;
            default:
                throw new InvalidOperationException($"Unhandled signal {signal}");
        }
        ObserveLeadership();
        ProcessReady();
    }

    /// <summary>Runs an input through the core, then carries out what it produced.</summary>
    private void Around(Action<RaftNode> input)
    {
        ObserveLeadership();
        input(_raft!);
        ObserveLeadership();
        ProcessReady();
    }

    private RaftNode Raft => _raft ?? throw new InvalidOperationException($"{_shard}: the Raft core has not started");

    /// <summary>
    /// True once this replica has applied a membership without itself: it serves nothing more (a relaxed read from it
    /// could be arbitrarily stale), and its node stops it.
    /// </summary>
    private bool IsRemoved => Raft.Conf.Voters.Count > 0 && !Raft.Conf.Voters.Contains(_node) && !Raft.Conf.Learners.Contains(_node);

    private ShardStatus Status() => new(
        _shard, _node, Raft.Role, Raft.Term, Raft.Leader, Raft.Committed, _state.AppliedIndex,
        _storage.Snapshot?.Index ?? LogIndex.Zero, _state.Count, _proposals.Count, Raft.Conf)
    {
        Replicated = Raft.MatchIndexes,
        Quiescent = Raft.IsQuiescent,
    };

    /// <summary>Takes the core's next ready, if any and none is in flight, and starts carrying it out.</summary>
    private void ProcessReady()
    {
        var raft = Raft;
        while (_readyInFlight is null && !_journalFailed && raft.HasReady)
        {
            var ready = raft.TakeReady();
            _readyInFlight = ready;
            foreach (var message in ready.Messages)
            {
                _transport.Send(_shard, message); // the leader's replication does not wait for its own disk
            }
            StoreSnapshotChunks(ready.SnapshotChunks);
            if (ready.Snapshot is { } snapshot)
            {
                InstallSnapshot(snapshot);
            }
            if (ready.Entries.Count > 0 || ready.HardState is not null)
            {
                var entries = new JournalEntry[ready.Entries.Count];
                for (var i = 0; i < entries.Length; i++)
                {
                    var entry = ready.Entries[i];
                    entries[i] = new JournalEntry(entry.Index, entry.Term, entry.Data);
                }
                HardState? hardState = ready.HardState is { } state ? new HardState(state.Term, state.Vote, state.Commit) : null;
                var shell = _shell;
                if (!ready.MustSync && hardState is { } commitOnly)
                {
                    // Only the commit index moved: recorded in order with the group's next records but neither
                    // fsynced nor waited for, so a write is applied and answered after one fsync instead of two.
                    _journal.RecordCommit(_shard, commitOnly, cause => shell.Post(new CommitWriteFailed(cause)));
                    CompleteReady(ready);
                    continue;
                }
                if ((_options.Raft.Defects & RaftDefects.AcknowledgeBeforeDurable) != 0)
                {
                    SendAfterPersist(ready);
                    _acknowledgedBeforeDurable = ready;
                }
                _journal.Append(_shard, entries, hardState, cause => shell.Post(new ReadyPersisted(ready, cause)));
                return; // continue when durable
            }
            CompleteReady(ready);
        }
    }

    private void OnReadyPersisted(ReadyPersisted persisted)
    {
        if (!ReferenceEquals(persisted.Ready, _readyInFlight))
        {
            return;
        }
        if (persisted.Cause is { } cause)
        {
            OnJournalFailed(cause);
            return;
        }
        CompleteReady(persisted.Ready);
    }

    /// <summary>Steps 3–5 of the contract: acknowledge, apply, advance.</summary>
    private void CompleteReady(Ready ready)
    {
        if (!ReferenceEquals(ready, _acknowledgedBeforeDurable))
        {
            SendAfterPersist(ready);
        }
        _acknowledgedBeforeDurable = null;
        foreach (var entry in ready.CommittedEntries)
        {
            ApplyEntry(entry);
        }
        foreach (var readState in ready.ReadStates)
        {
            OnReadState(readState);
        }
        Raft.Advance(ready);
        _readyInFlight = null;
        ServeReadsUpTo(_state.AppliedIndex);
        MaybeTakeSnapshot();
    }

    private void SendAfterPersist(Ready ready)
    {
        foreach (var message in ready.MessagesAfterPersist)
        {
            _transport.Send(_shard, message);
        }
    }

    private void OnJournalFailed(Exception cause)
    {
        // A replica whose disk failed cannot keep Raft's promises (votes, acknowledgements): it stops taking part.
        _journalFailed = true;
        _log.JournalWriteFailed(_shard, Raft.LastIndex, cause);
        foreach (var proposal in _proposals.Values)
        {
            // Its entry may have been replicated and committed by the others: what became of it is not known here.
            proposal.ReplyTo.Tell(new OutcomeUnknown($"the journal of {_shard}'s replica on {_node} failed: {cause.Message}"));
        }
        _proposals.Clear();
        FailPendingReads("the replica's journal failed");
    }

    private KvStateMachine NewStateMachine() =>
        new(_options.IdempotencyCapacity, (long)_options.IdempotencyRetention.TotalMilliseconds);
}
