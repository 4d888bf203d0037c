namespace AkkaKv.Raft;

/// <summary>
/// Carries Raft messages between the replicas of a group (implemented by the sharding layer: in process, and over
/// Akka.Remote in batches per peer node; the core itself never sends). Delivery is best effort (Raft tolerates loss,
/// duplication and reordering); a send never blocks the caller.
/// </summary>
public interface IRaftTransport
{
    /// <summary>Sends <paramref name="message"/> to the replica of <paramref name="shard"/> on <c>message.To</c>.</summary>
    void Send(ShardId shard, RaftMessage message);
}
