using AkkaKv.Persistence;
using AkkaKv.Raft;

namespace AkkaKv.Sharding;

/// <summary>Start-up: restore the newest snapshot, bootstrap a brand-new group, start the Raft core.</summary>
public sealed partial class ShardReplica
{
    /// <summary>Most requests held while a new group's first entries become durable (a few milliseconds); beyond it they are refused.</summary>
    private const int MaxHeldWhileStarting = 10_000;

    private readonly List<(ShardRequest Request, IReplyTo<ShardReply> ReplyTo)> _heldWhileStarting = [];

    private void Recover()
    {
        var snapshot = RestoreLatestSnapshot();
        var bounds = _journal.Bounds(_shard);
        var hardState = _journal.GetHardState(_shard);
        if (snapshot is null && bounds.Last == LogIndex.Zero && bounds.Compacted == LogIndex.Zero && hardState is null)
        {
            if (_initialConf.Voters.Count == 0)
            {
                StartRaft(snapshot, legacy: false); // a joining replica: the leader will send it everything
                return;
            }
            Bootstrap();
            return;
        }
        // State written before replication (no hard state, no membership anywhere) belongs to a single-replica
        // shard at term 1: adopt it as a group of one.
        var legacy = hardState is null && (snapshot is null || snapshot.Conf.Voters.Count == 0) && !StartsWithMembership(bounds);
        StartRaft(snapshot, legacy);
    }

    /// <summary>True when the log's first entry is a membership change: a replicated group's log, never legacy data.</summary>
    private bool StartsWithMembership(JournalBounds bounds) =>
        bounds.Last > bounds.Compacted &&
        _journal.Read(_shard, bounds.Compacted.Next(), bounds.Compacted.Next()) is [var first] &&
        ConfChange.IsEncoded(first.Payload.Span);

    /// <summary>A new group's first entries are its membership (see <see cref="RaftBootstrap"/>); made durable before the core starts.</summary>
    private void Bootstrap()
    {
        var entries = RaftBootstrap.Entries(_initialConf).Select(entry => new JournalEntry(entry.Index, entry.Term, entry.Data)).ToList();
        var state = RaftBootstrap.HardState(_initialConf);
        var shell = _shell;
        _journal.Append(_shard, entries, new HardState(state.Term, state.Vote, state.Commit), cause => shell.Post(new Bootstrapped(cause)));
        _log.Bootstrapping(_shard, _node, _initialConf);
    }

    /// <summary>Requests that arrive while a new group's bootstrap is being written wait for it (Raft traffic is dropped meanwhile, as if lost).</summary>
    private void HoldWhileStarting(ShardRequest request, IReplyTo<ShardReply> replyTo)
    {
        if (_heldWhileStarting.Count >= MaxHeldWhileStarting)
        {
            replyTo.Tell(new ShardUnavailable($"the replica of {_shard} on {_node} is starting"));
            return;
        }
        _heldWhileStarting.Add((request, replyTo));
    }

    private void OnBootstrapped(Bootstrapped bootstrapped)
    {
        if (bootstrapped.Cause is { } cause)
        {
            throw new InvalidOperationException($"{_shard}: writing the group's bootstrap entries failed", cause);
        }
        StartRaft(null, legacy: false);
        var held = _heldWhileStarting.ToList();
        _heldWhileStarting.Clear();
        foreach (var (request, replyTo) in held)
        {
            Handle(request, replyTo);
        }
    }

    private void StartRaft(RaftSnapshotMeta? snapshot, bool legacy)
    {
        if (snapshot is not null && snapshot.Index > _journal.Bounds(_shard).Compacted)
        {
            // A snapshot installed from a leader may have become durable while the journal's compaction to it did
            // not (a crash in between): redo it, so the next append (after the snapshot) is not a gap in the journal.
            _journal.Compact(_shard, snapshot.Index, snapshot.Term, ReportCompactionFailure());
        }
        var self = new ConfState([_node]);
        _storage = new ShardRaftStorage(
            _shard,
            _journal,
            snapshot is not null && legacy ? snapshot with { Conf = self } : snapshot,
            ReadSnapshotChunk,
            legacy ? new RaftHardState(new Term(1), NodeId.None, LogIndex.Zero) : RaftHardState.Empty,
            legacy ? self : ConfState.Empty);
        var raft = new RaftNode(_node, _options.Raft, _storage, _random, _log, _shard.ToString());
        _raft = raft;
        _observedTerm = raft.Term;
        _observedRole = raft.Role;
        _log.ShardRecovered(_shard, _storage.Snapshot?.Index ?? LogIndex.Zero, _storage.LastIndex, _state.Count);
        // Replay committed entries (applying the membership), then a lone voter need not wait for a timeout.
        ProcessReady();
        if (raft.Conf.Voters.Count == 1 && raft.IsPromotable)
        {
            raft.Campaign();
        }
        ProcessReady();
    }
}
