using AkkaKv.Raft;

namespace AkkaKv.Sharding;

/// <summary>
/// Observes a replica from the inside, synchronously on its actor's turn: simulations check Raft's safety
/// properties with it (one leader per term, identical applied entries everywhere). Must be fast and must not block.
/// </summary>
public interface IRaftGroupProbe
{
    /// <summary><paramref name="node"/>'s replica of <paramref name="shard"/> now plays <paramref name="role"/> in <paramref name="term"/>.</summary>
    void OnRoleChanged(ShardId shard, NodeId node, Term term, RaftRole role);

    /// <summary><paramref name="node"/>'s replica of <paramref name="shard"/> applied <paramref name="entry"/> to its state machine.</summary>
    void OnApplied(ShardId shard, NodeId node, RaftEntry entry);
}
