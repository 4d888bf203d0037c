namespace AkkaKv.Raft;

/// <summary>
/// Quiescence of idle groups (CockroachDB's quiesced ranges, TiKV's hibernate regions): a node holds many groups and
/// most are idle most of the time, yet every leader heartbeats every tick. A leader whose group has been idle for
/// <see cref="RaftOptions.QuiesceAfterTicks"/> — everything committed, applied and on every member, nothing pending —
/// sends each member a quiescing heartbeat and stops heartbeating, checking quorum and counting election time;
/// followers that receive it (and have everything it commits) stop their election timers. Any proposal, read,
/// transfer or membership change, and any message that needs an answer, wakes a replica; so does
/// <see cref="Wake"/>, which the host calls when cluster membership changes (a member's node unreachable, back, or
/// restarted), since an asleep follower does not notice a dead leader by itself. As a fallback for a host that does
/// not, a quiescent leader repeats its quiescing heartbeat every <see cref="RaftOptions.QuiescentHeartbeatTicks"/> and
/// a quiescent follower that hears none for three times that wakes and, like any follower, campaigns after an
/// election timeout.
/// Safety does not depend on any of this: a woken follower considers its leader's lease lapsed until it hears from it
/// again (so it can vote for a candidate), and a quiescent leader's read lease has lapsed (its ticks keep counting,
/// its followers' acknowledgements do not).
/// </summary>
public sealed partial class RaftNode
{
    private bool _quiescent;
    private int _idleTicks;
    private int _quiescentElapsed;
    private bool _leaderLeaseLapsed;

    /// <summary>True while this replica sleeps: a quiescent leader sends no heartbeats, a quiescent follower does not time out.</summary>
    public bool IsQuiescent => _quiescent;

    /// <summary>
    /// Wakes this replica if it is quiescent: a leader heartbeats again (and checks quorum afresh), a follower starts
    /// a full election timeout with its leader's lease lapsed. The host calls it when cluster membership changes.
    /// </summary>
    public void Wake()
    {
        if (!_quiescent)
        {
            return;
        }
        _quiescent = false;
        _idleTicks = 0;
        _quiescentElapsed = 0;
        _electionElapsed = 0;
        if (Role == RaftRole.Leader)
        {
            // Quorum is checked afresh: what was heard before sleeping says nothing about now.
            foreach (var (member, progress) in _progress)
            {
                progress.RecentActive = member == Id;
            }
            _heartbeatElapsed = 0;
            BroadcastHeartbeat(0);
        }
        else
        {
            _leaderLeaseLapsed = true;
        }
        LogMessages.Woke(_logger, _group, Id, Role, Term);
    }

    /// <summary>A tick while quiescent: only the fallback timers run. Returns false when the replica is awake.</summary>
    private bool TickQuiescent()
    {
        if (!_quiescent)
        {
            return false;
        }
        _quiescentElapsed++;
        if (Role == RaftRole.Leader)
        {
            if (_quiescentElapsed >= _options.QuiescentHeartbeatTicks)
            {
                _quiescentElapsed = 0;
                SendQuiescingHeartbeats();
            }
        }
        else if (_quiescentElapsed >= 3 * _options.QuiescentHeartbeatTicks)
        {
            Wake(); // the leader's repeated quiescing heartbeats stopped: it may be gone
        }
        return true;
    }

    /// <summary>After a leader's tick: counts idle ticks and quiesces the group once idle long enough.</summary>
    private void MaybeQuiesce()
    {
        if (_options.QuiesceAfterTicks == 0 || Role != RaftRole.Leader)
        {
            return;
        }
        if (!IsIdle())
        {
            _idleTicks = 0;
            return;
        }
        if (++_idleTicks < _options.QuiesceAfterTicks)
        {
            return;
        }
        _quiescent = true;
        _quiescentElapsed = 0;
        SendQuiescingHeartbeats();
        LogMessages.Quiesced(_logger, _group, Id, Term, _log.Committed);
    }

    /// <summary>Nothing to do: all committed, applied and persisted, every member has all of it, nothing pending.</summary>
    private bool IsIdle()
    {
        var last = _log.LastIndex;
        if (_log.Committed != last || _log.Applied != last || _log.PersistedIndex != last || _log.HasEntriesToPersist ||
            _pendingReads.Count > 0 || _readsAwaitingCommit.Count > 0 || !_leadTransferee.IsNone || _pendingConfIndex > _log.Applied ||
            _broadcastPending || !HasCommittedInCurrentTerm)
        {
            return false;
        }
        foreach (var (member, progress) in _progress)
        {
            if (member != Id && (progress.Match != last || progress.PendingSnapshot is not null || _ticks - progress.LastHeardTick >= _options.ElectionTicks))
            {
                return false;
            }
        }
        return true;
    }

    private void SendQuiescingHeartbeats()
    {
        foreach (var member in _progress.Keys)
        {
            if (member != Id)
            {
                Send(new Heartbeat(Id, member, Term, _log.Committed, 0) { Quiesce = true });
            }
        }
    }

    /// <summary>
    /// A follower's handling of its leader's quiescing heartbeat: it sleeps when it has exactly what the leader
    /// committed. No reply — a reply would wake the leader.
    /// </summary>
    private void OnQuiescingHeartbeat(Heartbeat heartbeat)
    {
        HeardFromLeader(heartbeat.From);
        _log.CommitTo(LogIndex.Min(heartbeat.Commit, _log.LastIndex));
        if (_options.QuiesceAfterTicks > 0 && _log.Committed == heartbeat.Commit && _log.LastIndex == heartbeat.Commit)
        {
            if (!_quiescent)
            {
                LogMessages.Quiesced(_logger, _group, Id, Term, _log.Committed);
            }
            _quiescent = true;
            _quiescentElapsed = 0;
        }
        // Otherwise it stays awake: it has entries past the leader's commit (an append overtook this heartbeat, so the
        // leader is awake), or it lost entries it had acknowledged (not a state Raft can repair).
    }

    /// <summary>
    /// Whether <paramref name="message"/> wakes this quiescent replica before it is handled. A quiescing heartbeat does
    /// not; at a leader, late answers that change nothing (a heartbeat answer, an acknowledgement of what the member
    /// is known to have) do not either — otherwise the answers to its last heartbeats would wake it as it falls asleep.
    /// </summary>
    private bool Wakes(RaftMessage message)
    {
        if (message is Heartbeat { Quiesce: true })
        {
            return false;
        }
        if (Role != RaftRole.Leader || message.Term != Term)
        {
            return true;
        }
        return message switch
        {
            HeartbeatResponse response => response.ReadContext != 0,
            AppendResponse { Rejected: false } response => !_progress.TryGetValue(response.From, out var progress) || response.Index > progress.Match,
            _ => true,
        };
    }
}
