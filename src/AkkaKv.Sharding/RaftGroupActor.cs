using AkkaKv.Actors;
using AkkaKv.Persistence;
using AkkaKv.Persistence.Snapshots;
using AkkaKv.Raft;
using AkkaKv.Store;

namespace AkkaKv.Sharding;

/// <summary>
/// One replica of a shard's Raft group: a persistent actor whose journal is the Raft log. It hosts a
/// <see cref="RaftNode"/> and carries out its readies in the etcd order — send the leader's replication at once,
/// persist entries and hard state to the node WAL (group-committed with every other shard), then send
/// acknowledgements, apply committed entries to the <see cref="KvStateMachine"/> and answer clients, then advance.
/// A single replica is simply a group of one. Recovery is the newest snapshot plus the journal after it.
/// </summary>
public sealed partial class RaftGroupActor : Actor
{
    private readonly ShardId _shard;
    private readonly NodeId _node;
    private readonly ConfState _initialConf;
    private readonly IJournal _journal;
    private readonly ISnapshotStore _snapshots;
    private readonly IRaftTransport _transport;
    private readonly RaftGroupOptions _options;
    private KvStateMachine _state;
    private ShardRaftStorage _storage = null!;
    private RaftNode _raft = null!;
    private Ready? _readyInFlight;
    private bool _journalFailed;
    private Term _observedTerm;
    private RaftRole _observedRole;

    private RaftGroupActor(ShardId shard, NodeId node, ConfState initialConf, IJournal journal, ISnapshotStore snapshots, IRaftTransport transport, RaftGroupOptions options)
    {
        _shard = shard;
        _node = node;
        _initialConf = initialConf;
        _journal = journal;
        _snapshots = snapshots;
        _transport = transport;
        _options = options;
        _state = NewStateMachine();
    }

    /// <summary>
    /// Props of <paramref name="node"/>'s replica of <paramref name="shard"/>. <paramref name="initialConf"/> is the
    /// membership a brand-new group starts with (ignored when the shard has state); pass
    /// <see cref="ConfState.Empty"/> for a replica that joins an existing group and learns it from the leader.
    /// </summary>
    public static Props Props(ShardId shard, NodeId node, ConfState initialConf, IJournal journal, ISnapshotStore snapshots, IRaftTransport transport, RaftGroupOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(initialConf);
        ArgumentNullException.ThrowIfNull(journal);
        ArgumentNullException.ThrowIfNull(snapshots);
        ArgumentNullException.ThrowIfNull(transport);
        return Actors.Props.Create(() => new RaftGroupActor(shard, node, initialConf, journal, snapshots, transport, options ?? new RaftGroupOptions()));
    }

    protected override void PreStart() => Recover();

    protected override void PostStop()
    {
        _incomingSnapshot?.Abandon();
        _outgoingSnapshot?.Dispose();
    }

    protected override void Receive(object message)
    {
        if (_raft is null)
        {
            OnBootstrapping(message);
            return;
        }
        ObserveLeadership(); // a change made outside a message (start-up) must not fail reads that arrive after it
        switch (message)
        {
            case RaftEnvelope envelope when !_journalFailed: _raft.Step(envelope.Message); break;
            case RaftEnvelope: break; // a replica that cannot persist must not vote or acknowledge
            case RaftTick when !_journalFailed: _raft.Tick(); break;
            case RaftTick: break;
            case WakeReplicas: _raft.Wake(); break;
            case ReadyPersisted persisted: OnReadyPersisted(persisted); break;
            case WriteRequest write: OnWrite(write); break;
            case ReadRequest read: OnRead(read); break;
            case ScanRequest when IsRemoved: Sender.Tell(new ShardUnavailable($"this replica of {_shard} was removed from its group")); break;
            case ScanRequest scan: Sender.Tell(new ScanReply([.. _state.Scan(scan.Prefix, scan.Limit).Select(entry => new KeyVersion(entry.Key, entry.Version))])); break;
            case GetShardStatus: Sender.Tell(Status()); break;
            case TransferLeadership transfer: OnTransferLeadership(transfer); break;
            case ChangeMembership change: OnChangeMembership(change); break;
            case CompactFailed failed: Log.CompactionFailed(_shard, failed.Cause); break;
            case CommitWriteFailed failed when !_journalFailed: OnJournalFailed(failed.Cause); break;
            case CommitWriteFailed: break;
            default: Unhandled(message); break;
        }
        ObserveLeadership();
        ProcessReady();
    }

    /// <summary>
    /// True once this replica has applied a membership without itself: it serves nothing more (a relaxed read from it
    /// could be arbitrarily stale), and its node stops it.
    /// </summary>
    private bool IsRemoved => _raft.Conf.Voters.Count > 0 && !_raft.Conf.Voters.Contains(_node) && !_raft.Conf.Learners.Contains(_node);

    private ShardStatus Status() => new(
        _shard, _node, _raft.Role, _raft.Term, _raft.Leader, _raft.Committed, _state.AppliedIndex,
        _storage.Snapshot?.Index ?? LogIndex.Zero, _state.Count, _proposals.Count, _raft.Conf)
    {
        Replicated = _raft.MatchIndexes,
        Quiescent = _raft.IsQuiescent,
    };

    /// <summary>Takes the core's next ready, if any and none is in flight, and starts carrying it out.</summary>
    private void ProcessReady()
    {
        while (_readyInFlight is null && !_journalFailed && _raft.HasReady)
        {
            var ready = _raft.TakeReady();
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
                var self = Self;
                if (!ready.MustSync && hardState is { } commitOnly)
                {
                    // Only the commit index moved: recorded in order with the group's next records but neither
                    // fsynced nor waited for, so a write is applied and answered after one fsync instead of two.
                    _journal.RecordCommit(_shard, commitOnly, cause => self.Tell(new CommitWriteFailed(cause)));
                    CompleteReady(ready);
                    continue;
                }
                _journal.Append(_shard, entries, hardState, cause => self.Tell(new ReadyPersisted(ready, cause)));
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
        foreach (var message in ready.MessagesAfterPersist)
        {
            _transport.Send(_shard, message);
        }
        foreach (var entry in ready.CommittedEntries)
        {
            ApplyEntry(entry);
        }
        foreach (var readState in ready.ReadStates)
        {
            OnReadState(readState);
        }
        _raft.Advance(ready);
        _readyInFlight = null;
        ServeReadsUpTo(_state.AppliedIndex);
        MaybeTakeSnapshot();
    }

    private void OnJournalFailed(Exception cause)
    {
        // A replica whose disk failed cannot keep Raft's promises (votes, acknowledgements): it stops taking part.
        _journalFailed = true;
        Timers.Cancel(TickTimerKey);
        Log.JournalWriteFailed(_shard, _raft.LastIndex, cause);
        foreach (var proposal in _proposals.Values)
        {
            proposal.ReplyTo.Tell(new Actors.Status.Failure(cause));
        }
        _proposals.Clear();
        FailPendingReads("the replica's journal failed");
    }

    private KvStateMachine NewStateMachine() =>
        new(_options.IdempotencyCapacity, (long)_options.IdempotencyRetention.TotalMilliseconds);

    private const string TickTimerKey = "raft-tick";

    private sealed record ReadyPersisted(Ready Ready, Exception? Cause);

    private sealed record CompactFailed(Exception Cause);

    private sealed record CommitWriteFailed(Exception Cause);
}
