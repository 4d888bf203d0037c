using AkkaKv.Raft;
using AkkaKv.Sharding;

namespace AkkaKv.Simulation.Tests;

/// <summary>
/// Checks Raft's safety properties as they happen, from inside every replica: election safety (at most one leader
/// per term) and state-machine safety (every replica applies the same entry at each index — which also covers log
/// matching and leader completeness for everything committed). The first violation is kept for the simulator.
/// </summary>
internal sealed class SimSafetyChecker : IRaftGroupProbe
{
    private readonly Dictionary<(ShardId Shard, Term Term), NodeId> _leaders = [];
    private readonly Dictionary<(ShardId Shard, LogIndex Index), (Term Term, ulong Hash, NodeId FirstBy)> _applied = [];

    public string? Violation { get; private set; }

    public long Elections => _leaders.Count;

    public LogIndex HighestApplied { get; private set; }

    /// <summary>The leader of the highest term seen so far in any shard (for faults aimed at leaders); none before the first election.</summary>
    public NodeId LatestLeader { get; private set; }

    private Term _latestLeaderTerm;

    public void OnRoleChanged(ShardId shard, NodeId node, Term term, RaftRole role)
    {
        if (role != RaftRole.Leader)
        {
            return;
        }
        if (_leaders.TryGetValue((shard, term), out var other) && other != node)
        {
            Violation ??= $"election safety: {other} and {node} both led {shard} in {term}";
            return;
        }
        _leaders[(shard, term)] = node;
        if (term >= _latestLeaderTerm)
        {
            _latestLeaderTerm = term;
            LatestLeader = node;
        }
    }

    public void OnApplied(ShardId shard, NodeId node, RaftEntry entry)
    {
        var hasher = new HashCode();
        hasher.AddBytes(entry.Data.Span);
        var hash = ((ulong)(uint)hasher.ToHashCode() << 32) | (uint)entry.Data.Length;
        if (_applied.TryGetValue((shard, entry.Index), out var first))
        {
            if (first.Term != entry.Term || first.Hash != hash)
            {
                Violation ??= $"state-machine safety: at {entry.Index} of {shard}, {first.FirstBy} applied an entry of {first.Term} but {node} one of {entry.Term}";
            }
            return;
        }
        _applied[(shard, entry.Index)] = (entry.Term, hash, node);
        if (entry.Index > HighestApplied)
        {
            HighestApplied = entry.Index;
        }
    }
}
