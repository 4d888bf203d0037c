namespace AkkaKv.Sharding;

/// <summary>A shard could not serve a part of a request (no leader found, no replica answered).</summary>
public sealed class ShardUnavailableException(ShardId shard, ShardReply reply)
    : Exception($"{shard} is unavailable: {Describe(reply)}")
{
    public ShardId Shard { get; } = shard;

    /// <summary>Why <paramref name="reply"/> carries no result, in a few words.</summary>
    public static string Describe(ShardReply reply) => reply switch
    {
        NotLeader { Leader.IsNone: true } => "no leader at the moment",
        NotLeader notLeader => $"{notLeader.Leader} leads it",
        ShardUnavailable unavailable => unavailable.Reason,
        OutcomeUnknown unknown => unknown.Reason,
        ShardStatus status => $"its replica on {status.Node} knows no leader",
        _ => reply.GetType().Name,
    };
}
