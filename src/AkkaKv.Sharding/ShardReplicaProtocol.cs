using AkkaKv.Raft;
using AkkaKv.Store;

namespace AkkaKv.Sharding;

/// <summary>Requests a <see cref="ShardReplica"/> accepts from clients (the gateway, the router, tests); each is answered with one <see cref="ShardReply"/>.</summary>
public abstract record ShardRequest
{
    private protected ShardRequest() { }
}

/// <summary>
/// Replicate, commit and apply a write. Replied to with <see cref="WriteReply"/>; <see cref="NotLeader"/> or
/// <see cref="ShardUnavailable"/> when it was certainly not applied; <see cref="OutcomeUnknown"/> when the replica lost
/// track of it (its journal failed, it installed a snapshot over it).
/// </summary>
public sealed record WriteRequest(KvCommand Command) : ShardRequest;

/// <summary>Read one key. Replied to with <see cref="ReadReply"/>, or <see cref="NotLeader"/> for a linearizable read without a leader.</summary>
public sealed record ReadRequest(string Key, ReadConsistency Consistency = ReadConsistency.Linearizable) : ShardRequest
{
    /// <summary>
    /// The configuration epoch (<see cref="ConfState.Index"/>) the request was routed by: a replica that has not yet
    /// applied that configuration refuses a serializable or eventual read with <see cref="ShardUnavailable"/> rather than
    /// answer from an older configuration, one that may no longer hold the shard. 0 asks for no check.
    /// </summary>
    public LogIndex MinEpoch { get; init; }
}

/// <summary>
/// List keys with a prefix, at most <paramref name="Limit"/>, at the consistency of a read: linearizable from the
/// leader after ReadIndex, serializable or eventual from a replica's applied state. Replied to with
/// <see cref="ScanReply"/>, or <see cref="NotLeader"/> / <see cref="ShardUnavailable"/>.
/// </summary>
public sealed record ScanRequest(string Prefix, int Limit, ReadConsistency Consistency = ReadConsistency.Linearizable) : ShardRequest
{
    /// <summary>The configuration epoch the request was routed by (see <see cref="ReadRequest.MinEpoch"/>).</summary>
    public LogIndex MinEpoch { get; init; }
}

/// <summary>Report the replica's state. Replied to with <see cref="ShardStatus"/>.</summary>
public sealed record GetShardStatus : ShardRequest
{
    public static readonly GetShardStatus Instance = new();
}

/// <summary>Hand leadership to <paramref name="Target"/> (leader only). Replied to with <see cref="AdminAccepted"/>, <see cref="NotLeader"/> or <see cref="ShardUnavailable"/>.</summary>
public sealed record TransferLeadership(NodeId Target) : ShardRequest;

/// <summary>Propose a membership change (leader only). Replied to with <see cref="AdminAccepted"/> once applied, or <see cref="NotLeader"/> / <see cref="ShardUnavailable"/>.</summary>
public sealed record ChangeMembership(ConfChange Change) : ShardRequest;

/// <summary>Replies of a <see cref="ShardReplica"/>.</summary>
public abstract record ShardReply
{
    private protected ShardReply() { }
}

/// <summary>The outcome of a committed, applied write.</summary>
public sealed record WriteReply(KvResult Result) : ShardReply;

/// <summary>The key's value, or null when absent.</summary>
public sealed record ReadReply(KvValue? Value) : ShardReply;

/// <summary>Keys with their versions, in order.</summary>
public sealed record ScanReply(IReadOnlyList<KeyVersion> Keys) : ShardReply;

/// <summary>This replica is not the leader; <paramref name="Leader"/> is the one it knows of (or none). Nothing was applied.</summary>
public sealed record NotLeader(NodeId Leader) : ShardReply;

/// <summary>The request was refused without effect; retry later.</summary>
public sealed record ShardUnavailable(string Reason) : ShardReply;

/// <summary>The write may or may not have been applied (its replica lost track of it); a retry with the same idempotency key is safe.</summary>
public sealed record OutcomeUnknown(string Reason) : ShardReply;

/// <summary>An administrative request was carried out.</summary>
public sealed record AdminAccepted(string Detail) : ShardReply;

/// <summary>A replica's state.</summary>
public sealed record ShardStatus(
    ShardId Shard,
    NodeId Node,
    RaftRole Role,
    Term Term,
    NodeId Leader,
    LogIndex CommitIndex,
    LogIndex AppliedIndex,
    LogIndex SnapshotIndex,
    int Keys,
    int PendingWrites,
    ConfState Conf) : ShardReply
{
    /// <summary>True while the replica is quiescent: its group was idle, so it neither heartbeats nor times out.</summary>
    public bool Quiescent { get; init; }

    /// <summary>On the leader: the highest log index known replicated on each member (learners included); empty elsewhere.</summary>
    public IReadOnlyDictionary<NodeId, LogIndex> Replicated { get; init; } = new Dictionary<NodeId, LogIndex>();

    /// <summary>
    /// True when this is the leader's status and <paramref name="member"/> has replicated the log to within
    /// <paramref name="maxLag"/> entries of the commit index, and at least up to the current membership's own entry
    /// (for a learner: the change that added it): a learner that may be promoted. Without the second condition a
    /// learner of a short log would count as caught up before it held anything — and a voter that holds nothing on
    /// disk is not restarted with its node.
    /// </summary>
    public bool HasCaughtUp(NodeId member, ulong maxLag) =>
        Replicated.TryGetValue(member, out var match) && match.Value > 0 && match >= Conf.Index && match.Value + maxLag >= CommitIndex.Value;
}

/// <summary>A key and its version.</summary>
public readonly record struct KeyVersion(string Key, LogIndex Version);

/// <summary>One Raft tick: from the replica's own timer, or — with <see cref="RaftGroupOptions.TickedByHost"/> — from its host's one timer for all replicas.</summary>
public sealed record RaftTick
{
    public static readonly RaftTick Instance = new();
}

/// <summary>A Raft message for the replica of <paramref name="Shard"/> on the addressed node (transport level).</summary>
public sealed record RaftEnvelope(ShardId Shard, RaftMessage Message);

/// <summary>What a <see cref="ShardReplica"/> posts to itself: the outcome of journal work, delivered on its own turn.</summary>
public abstract record ShardReplicaSignal
{
    private protected ShardReplicaSignal() { }
}

/// <summary>A new group's first entries are durable (or writing them failed).</summary>
internal sealed record Bootstrapped(Exception? Cause) : ShardReplicaSignal;

/// <summary>The journal write of <paramref name="Ready"/> completed (durable, or failed with <paramref name="Cause"/>).</summary>
internal sealed record ReadyPersisted(Ready Ready, Exception? Cause) : ShardReplicaSignal;

/// <summary>Compacting or truncating the journal failed (logged; the log is only longer than needed).</summary>
internal sealed record CompactFailed(Exception Cause) : ShardReplicaSignal;

/// <summary>Recording a commit-only hard state failed: the journal is broken.</summary>
internal sealed record CommitWriteFailed(Exception Cause) : ShardReplicaSignal;
