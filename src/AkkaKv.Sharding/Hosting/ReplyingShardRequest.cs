namespace AkkaKv.Sharding.Hosting;

/// <summary>
/// A request handed to a replica actor on this node together with where its answer goes — a pending local ask, or the
/// outbox that batches answers back to the node that forwarded it — so no temporary ask actor is made per request.
/// Never leaves the node.
/// </summary>
internal sealed record ReplyingShardRequest(ShardRequest Request, IReplyTo<ShardReply> ReplyTo);
