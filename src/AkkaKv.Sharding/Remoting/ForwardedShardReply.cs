namespace AkkaKv.Sharding.Remoting;

/// <summary>One answer in a <see cref="ShardReplyBatch"/>: the reply to the request the asking node sent under <paramref name="Id"/>.</summary>
public sealed record ForwardedShardReply(long Id, ShardReply Reply);
