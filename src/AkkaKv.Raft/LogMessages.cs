using Microsoft.Extensions.Logging;

namespace AkkaKv.Raft;

/// <summary>Log events of the Raft core: role changes at Information, per-message detail at Debug.</summary>
internal static partial class LogMessages
{
    [LoggerMessage(Level = LogLevel.Information, Message = "{Group}{Node} became leader at {Term} (last index {LastIndex})")]
    public static partial void BecameLeader(ILogger logger, string group, NodeId node, Term term, LogIndex lastIndex);

    [LoggerMessage(Level = LogLevel.Information, Message = "{Group}{Node} stepped down at {Term}")]
    public static partial void SteppedDown(ILogger logger, string group, NodeId node, Term term);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Group}{Node} heard from no quorum within an election timeout at {Term}: stepping down (check-quorum)")]
    public static partial void LostQuorum(ILogger logger, string group, NodeId node, Term term);

    [LoggerMessage(Level = LogLevel.Debug, Message = "{Group}{Node} starts a pre-vote for {Term}")]
    public static partial void StartedPreVote(ILogger logger, string group, NodeId node, Term term);

    [LoggerMessage(Level = LogLevel.Debug, Message = "{Group}{Node} starts an election at {Term}")]
    public static partial void StartedElection(ILogger logger, string group, NodeId node, Term term);

    [LoggerMessage(Level = LogLevel.Debug, Message = "{Group}{Node} voted for {Candidate} at {Term}")]
    public static partial void Voted(ILogger logger, string group, NodeId node, NodeId candidate, Term term);

    [LoggerMessage(Level = LogLevel.Debug, Message = "{Group}{Node} ignored a vote request from {Candidate} for {Term}: in contact with leader {Leader}")]
    public static partial void IgnoredVoteInLease(ILogger logger, string group, NodeId node, NodeId candidate, Term term, NodeId leader);

    [LoggerMessage(Level = LogLevel.Debug, Message = "{Group}{Node} rejected append after {PrevIndex}/{PrevTerm} from {Leader}; hint {HintIndex}")]
    public static partial void RejectedAppend(ILogger logger, string group, NodeId node, NodeId leader, LogIndex prevIndex, Term prevTerm, LogIndex hintIndex);

    [LoggerMessage(Level = LogLevel.Debug, Message = "{Group}{Node}: {Follower} rejected append after {Rejected}; probing from {NextProbe}")]
    public static partial void AppendRejected(ILogger logger, string group, NodeId node, NodeId follower, LogIndex rejected, LogIndex nextProbe);

    [LoggerMessage(Level = LogLevel.Information, Message = "{Group}{Node} transfers leadership to {Target} at {Term}")]
    public static partial void TransferringLeadership(ILogger logger, string group, NodeId node, NodeId target, Term term);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Group}{Node} aborted leadership transfer to {Target} at {Term}: no takeover within an election timeout")]
    public static partial void LeaderTransferAborted(ILogger logger, string group, NodeId node, NodeId target, Term term);

    [LoggerMessage(Level = LogLevel.Information, Message = "{Group}{Node} campaigns at once: leader {Leader} asked (TimeoutNow) at {Term}")]
    public static partial void TimeoutNowReceived(ILogger logger, string group, NodeId node, NodeId leader, Term term);

    [LoggerMessage(Level = LogLevel.Information, Message = "{Group}{Node} sends snapshot at {Index} ({SizeBytes} bytes) to {Follower}")]
    public static partial void SendingSnapshot(ILogger logger, string group, NodeId node, NodeId follower, LogIndex index, long sizeBytes);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Group}{Node} cannot send {Follower} entries from {Next}: compacted and no snapshot exists")]
    public static partial void NoSnapshotToSend(ILogger logger, string group, NodeId node, NodeId follower, LogIndex next);

    [LoggerMessage(Level = LogLevel.Information, Message = "{Group}{Node}: {Follower} installed snapshot at {Index}")]
    public static partial void SnapshotInstalledOnFollower(ILogger logger, string group, NodeId node, NodeId follower, LogIndex index);

    [LoggerMessage(Level = LogLevel.Information, Message = "{Group}{Node} restores snapshot at {Index}/{Term}")]
    public static partial void RestoringSnapshot(ILogger logger, string group, NodeId node, LogIndex index, Term term);

    [LoggerMessage(Level = LogLevel.Debug, Message = "{Group}{Node} already holds the entries of snapshot at {Index}: committing instead of restoring")]
    public static partial void SnapshotFastForward(ILogger logger, string group, NodeId node, LogIndex index);

    [LoggerMessage(Level = LogLevel.Information, Message = "{Group}{Node} applied membership change {Change}: {Conf}")]
    public static partial void AppliedConfChange(ILogger logger, string group, NodeId node, ConfChange change, ConfState conf);

    [LoggerMessage(Level = LogLevel.Debug, Message = "{Group}{Node} applied bootstrap membership {Change}: {Conf}")]
    public static partial void AppliedBootstrapConfChange(ILogger logger, string group, NodeId node, ConfChange change, ConfState conf);

    [LoggerMessage(Level = LogLevel.Debug, Message = "{Group}{Node} quiesced at {Term}, commit {Commit}")]
    public static partial void Quiesced(ILogger logger, string group, NodeId node, Term term, LogIndex commit);

    [LoggerMessage(Level = LogLevel.Debug, Message = "{Group}{Node} woke as {Role} at {Term}")]
    public static partial void Woke(ILogger logger, string group, NodeId node, RaftRole role, Term term);
}
