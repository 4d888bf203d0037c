using AkkaKv.Raft;

namespace AkkaKv.Sharding;

/// <summary>
/// How a <see cref="ReplicaManager{TReplica}"/> runs its replicas: as child actors in production, as simulated
/// replicas in the deterministic simulation.
/// </summary>
/// <typeparam name="TReplica">A reference to one running replica.</typeparam>
public interface IReplicaHosting<TReplica>
    where TReplica : notnull
{
    /// <summary>Starts <paramref name="shard"/>'s replica (see <see cref="ShardReplica"/> for <paramref name="initialConf"/>).</summary>
    TReplica Start(ShardId shard, ConfState initialConf);

    /// <summary>Hands <paramref name="message"/> (a Raft envelope, a tick, a wake-up) to <paramref name="replica"/>.</summary>
    void Tell(TReplica replica, object message);

    /// <summary>Stops <paramref name="replica"/>; the manager's <see cref="ReplicaManager{TReplica}.OnReplicaStopped"/> follows once it has.</summary>
    void Stop(TReplica replica);
}
