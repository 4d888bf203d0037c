using AkkaKv.Actors;
using AkkaKv.Raft;
using AkkaKv.Store;

namespace AkkaKv.Sharding;

/// <summary>Client requests: proposals answered when applied, reads by consistency level, administration.</summary>
public sealed partial class RaftGroupActor
{
    private readonly Dictionary<LogIndex, PendingProposal> _proposals = [];
    private readonly Dictionary<ulong, PendingRead> _readsAwaitingConfirmation = [];
    private readonly PriorityQueue<PendingRead, LogIndex> _readsAwaitingApply = new();
    private ulong _lastReadId;

    private sealed record PendingProposal(Term Term, IActorRef ReplyTo);

    private sealed record PendingRead(string Key, IActorRef ReplyTo);

    private void OnWrite(WriteRequest write)
    {
        if (_journalFailed)
        {
            Sender.Tell(new Actors.Status.Failure(new Persistence.Wal.WalFailedException($"{_shard}: the replica's journal failed; the node must restart")));
            return;
        }
        var result = _raft.Propose(KvCommandCodec.Encode(write.Command));
        Track(result);
    }

    private void OnChangeMembership(ChangeMembership change) => Track(_raft.ProposeConfChange(change.Change));

    private void Track(ProposeResult result)
    {
        if (result is ProposeResult.Accepted accepted)
        {
            _proposals[accepted.Index] = new PendingProposal(accepted.Term, Sender);
        }
        else
        {
            Sender.Tell(Refusal(result));
        }
    }

    /// <summary>What a refused proposal, read or transfer answers: nothing was done, so a retry is safe.</summary>
    private static ShardReply Refusal(ProposeResult result) => result switch
    {
        ProposeResult.NotLeader notLeader => new NotLeader(notLeader.LeaderHint),
        ProposeResult.Dropped dropped => new ShardUnavailable(dropped.Reason),
        _ => throw new InvalidOperationException($"not a refusal: {result}"),
    };

    private void OnTransferLeadership(TransferLeadership transfer)
    {
        if (transfer.Target == _node && _raft.Role == RaftRole.Leader)
        {
            Sender.Tell(new AdminAccepted($"{_node} already leads {_shard}"));
            return;
        }
        var result = _raft.TransferLeader(transfer.Target);
        Sender.Tell(result is ProposeResult.Accepted
            ? new AdminAccepted($"leadership of {_shard} is moving to {transfer.Target}")
            : Refusal(result));
    }

    private void OnRead(ReadRequest read)
    {
        if (read.Consistency != ReadConsistency.Linearizable && IsRemoved)
        {
            Sender.Tell(new ShardUnavailable($"this replica of {_shard} was removed from its group"));
            return;
        }
        if (read.Consistency != ReadConsistency.Linearizable && _raft.Conf.Index < read.MinEpoch)
        {
            // The request was routed by a newer configuration than this replica has applied: it may no longer hold the shard.
            Sender.Tell(new ShardUnavailable($"this replica of {_shard} is at configuration epoch {_raft.Conf.Index}, older than the {read.MinEpoch} the request was routed by"));
            return;
        }
        if (read.Consistency != ReadConsistency.Linearizable)
        {
            Sender.Tell(new ReadReply(_state.Get(read.Key))); // committed and applied here, possibly behind the leader
            return;
        }
        if (_journalFailed)
        {
            Sender.Tell(new ShardUnavailable("the replica's journal failed"));
            return;
        }
        var id = ++_lastReadId;
        var result = _raft.ReadIndex(id);
        if (result is ProposeResult.Accepted)
        {
            _readsAwaitingConfirmation[id] = new PendingRead(read.Key, Sender);
        }
        else
        {
            Sender.Tell(Refusal(result));
        }
    }

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
            read.ReplyTo.Tell(new ReadReply(_state.Get(read.Key)));
        }
    }

    /// <summary>Unconfirmed reads cannot survive a change of term or role: answer them (reads change nothing, so a retry is safe).</summary>
    private void ObserveLeadership()
    {
        if (_raft.Term == _observedTerm && _raft.Role == _observedRole)
        {
            return;
        }
        _observedTerm = _raft.Term;
        _observedRole = _raft.Role;
        _options.Probe?.OnRoleChanged(_shard, _node, _raft.Term, _raft.Role);
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
