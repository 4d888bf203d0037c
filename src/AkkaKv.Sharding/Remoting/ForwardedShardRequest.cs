namespace AkkaKv.Sharding.Remoting;

/// <summary>One request in a <see cref="ShardRequestBatch"/>: for the replica of <paramref name="Shard"/>, answered under <paramref name="Id"/>.</summary>
public sealed record ForwardedShardRequest(long Id, ShardId Shard, ShardRequest Request);
