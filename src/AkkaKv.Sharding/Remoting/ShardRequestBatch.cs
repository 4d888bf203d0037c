namespace AkkaKv.Sharding.Remoting;

/// <summary>
/// Requests of many clients for replicas on node <paramref name="To"/>, sent by node <paramref name="From"/> as one
/// remote message to the receiving node's replica manager, so that Akka.Remote's per-message envelope (recipient and
/// sender paths, serializer id, manifest) and an ask's temporary actor are paid once per batch instead of once per
/// request. Its sender is the asking node's outbox for <paramref name="To"/>, which the answers go back to in
/// <see cref="ShardReplyBatch"/>es.
/// </summary>
public sealed record ShardRequestBatch(NodeId From, NodeId To, IReadOnlyList<ForwardedShardRequest> Requests);
