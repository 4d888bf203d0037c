namespace AkkaKv.Sharding.Remoting;

/// <summary>
/// Answers to the requests of one <see cref="ShardRequestBatch"/> sender, sent back to it as one remote message: each
/// names the request it answers by its id, which is only meaningful to the outbox (and node incarnation) that sent it.
/// </summary>
public sealed record ShardReplyBatch(IReadOnlyList<ForwardedShardReply> Replies);
