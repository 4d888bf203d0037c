namespace AkkaKv.Sharding.Remoting;

/// <summary>
/// Raft messages of many shards from node <paramref name="From"/> to node <paramref name="To"/>, sent as one remote
/// message to the receiving node's replica manager: Akka.Remote's per-message envelope (recipient and sender paths,
/// serializer id, manifest) is paid once per batch instead of once per shard message, and the heartbeats in it are
/// coalesced (<see cref="RaftBatchCodec"/>). The sender keeps each batch below the remote frame limit.
/// </summary>
public sealed record RaftBatch(NodeId From, NodeId To, IReadOnlyList<RaftEnvelope> Messages);
