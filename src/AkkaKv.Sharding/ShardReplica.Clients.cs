using AkkaKv.Raft;
using AkkaKv.Store;

namespace AkkaKv.Sharding;

/// <summary>Client requests: proposals answered when applied, reads and scans by consistency level, administration.</summary>
public sealed partial class ShardReplica
{
    private readonly Dictionary<LogIndex, PendingProposal> _proposals = [];
    private readonly Dictionary<ulong, PendingRead> _readsAwaitingConfirmation = [];
    private readonly PriorityQueue<PendingRead, LogIndex> _readsAwaitingApply = new();
    private ulong _lastReadId;

    private sealed record PendingProposal(Term Term, IReplyTo<ShardReply> ReplyTo);

    /// <summary>A linearizable read or scan waiting for leadership to be confirmed, then for the state to be applied that far.</summary>
    private sealed record PendingRead(ShardRequest Query, IReplyTo<ShardReply> ReplyTo);

    private void OnWrite(WriteRequest write, IReplyTo<ShardReply> replyTo)
    {
        if (_journalFailed)
        {
            replyTo.Tell(new ShardUnavailable($"the journal of {_shard}'s replica on {_node} failed; the node must restart"));
            return;
        }
        Track(Raft.Propose(KvCommandCodec.Encode(write.Command)), replyTo);
    }

    private void OnChangeMembership(ChangeMembership change, IReplyTo<ShardReply> replyTo) => Track(Raft.ProposeConfChange(change.Change), replyTo);

    private void Track(ProposeResult result, IReplyTo<ShardReply> replyTo)
    {
        if (result is ProposeResult.Accepted accepted)
        {
            _proposals[accepted.Index] = new PendingProposal(accepted.Term, replyTo);
        }
        else
        {
            replyTo.Tell(Refusal(result));
        }
    }

    /// <summary>What a refused proposal, read or transfer answers: nothing was done, so a retry is safe.</summary>
    private static ShardReply Refusal(ProposeResult result) => result switch
    {
        ProposeResult.NotLeader notLeader => new NotLeader(notLeader.LeaderHint),
        ProposeResult.Dropped dropped => new ShardUnavailable(dropped.Reason),
        _ => throw new InvalidOperationException($"not a refusal: {result}"),
    };

    private void OnTransferLeadership(TransferLeadership transfer, IReplyTo<ShardReply> replyTo)
    {
        if (transfer.Target == _node && Raft.Role == RaftRole.Leader)
        {
            replyTo.Tell(new AdminAccepted($"{_node} already leads {_shard}"));
            return;
        }
        var result = Raft.TransferLeader(transfer.Target);
        replyTo.Tell(result is ProposeResult.Accepted
            ? new AdminAccepted($"leadership of {_shard} is moving to {transfer.Target}")
            : Refusal(result));
    }

    private void OnRead(ReadRequest read, IReplyTo<ShardReply> replyTo) => Query(read, read.Consistency, read.MinEpoch, replyTo);

    private void OnScan(ScanRequest scan, IReplyTo<ShardReply> replyTo) => Query(scan, scan.Consistency, scan.MinEpoch, replyTo);

    /// <summary>
    /// A read or a scan: a removed replica answers none; relaxed ones answer from this replica's applied state (refused
    /// by one behind the configuration the request was routed by); linearizable ones confirm leadership first
    /// (ReadIndex) and answer once the state is applied up to the confirmed commit index.
    /// </summary>
    private void Query(ShardRequest query, ReadConsistency consistency, LogIndex minEpoch, IReplyTo<ShardReply> replyTo)
    {
        if (IsRemoved)
        {
            replyTo.Tell(new ShardUnavailable($"this replica of {_shard} was removed from its group"));
            return;
        }
        if (consistency != ReadConsistency.Linearizable)
        {
            if (Raft.Conf.Index < minEpoch)
            {
                // The request was routed by a newer configuration than this replica has applied: it may no longer hold the shard.
                replyTo.Tell(new ShardUnavailable($"this replica of {_shard} is at configuration epoch {Raft.Conf.Index}, older than the {minEpoch} the request was routed by"));
            }
            else
            {
                replyTo.Tell(Answer(query)); // committed and applied here, possibly behind the leader
            }
            return;
        }
        if (_journalFailed)
        {
            replyTo.Tell(new ShardUnavailable("the replica's journal failed"));
            return;
        }
        var id = ++_lastReadId;
        var result = Raft.ReadIndex(id);
        if (result is ProposeResult.Accepted)
        {
            _readsAwaitingConfirmation[id] = new PendingRead(query, replyTo);
        }
        else
        {
            replyTo.Tell(Refusal(result));
        }
    }

    /// <summary>The answer to a read or a scan from the applied state.</summary>
    private ShardReply Answer(ShardRequest query) => query switch
    {
        ReadRequest read => new ReadReply(_state.Get(read.Key)),
        ScanRequest scan => new ScanReply([.. _state.Scan(scan.Prefix, scan.Limit).Select(entry => new KeyVersion(entry.Key, entry.Version))]),
        _ => throw new InvalidOperationException($"not a query: {query}"),
    };

    private void OnReadState(ReadState readState)
    {
        if (_readsAwaitingConfirmation.Remove(readState.RequestId, out var read))
        {
            _readsAwaitingApply.Enqueue(read, readState.Index); // served once applied that far
        }
    }

    private void ServeReadsUpTo(LogIndex applied)
    {
        while (_readsAwaitingApply.TryPeek(out var read, out var index) && index <= applied)
        {
            _readsAwaitingApply.Dequeue();
            read.ReplyTo.Tell(Answer(read.Query));
        }
    }

    /// <summary>Unconfirmed reads cannot survive a change of term or role: answer them (reads change nothing, so a retry is safe).</summary>
    private void ObserveLeadership()
    {
        if (_raft is not { } raft || (raft.Term == _observedTerm && raft.Role == _observedRole))
        {
            return;
        }
        _observedTerm = raft.Term;
        _observedRole = raft.Role;
        _options.Probe?.OnRoleChanged(_shard, _node, raft.Term, raft.Role);
        FailPendingReads("leadership changed during the read");
    }

    private void FailPendingReads(string reason)
    {
        foreach (var read in _readsAwaitingConfirmation.Values)
        {
            read.ReplyTo.Tell(new ShardUnavailable(reason));
        }
        _readsAwaitingConfirmation.Clear();
    }

    /// <summary>Applies one committed entry and answers its proposer, if this replica proposed it.</summary>
    private void ApplyEntry(RaftEntry entry)
    {
        if (entry.Index <= _state.AppliedIndex)
        {
            return; // already in the restored snapshot
        }
        _options.Probe?.OnApplied(_shard, _node, entry);
        ShardReply reply;
        if (entry.Kind == RaftEntryKind.ConfChange)
        {
            _state.Skip(entry.Index);
            reply = new AdminAccepted($"{ConfChange.Decode(entry.Data.Span)} applied at {entry.Index}");
        }
        else if (entry.Data.IsEmpty)
        {
            _state.Skip(entry.Index); // a leader's no-op
            reply = new ShardUnavailable("superseded by a new leader's entry; not applied");
        }
        else
        {
            reply = new WriteReply(_state.Apply(entry.Index, KvCommandCodec.Decode(entry.Data)));
            _appliedSinceSnapshot++;
            _bytesSinceSnapshot += entry.Data.Length;
        }
        if (_proposals.Remove(entry.Index, out var proposal))
        {
            // Another term's entry at our index means ours was overwritten: it can never commit (log matching).
            proposal.ReplyTo.Tell(proposal.Term == entry.Term ? reply : new ShardUnavailable("superseded by a new leader's entry; not applied"));
        }
    }
}
