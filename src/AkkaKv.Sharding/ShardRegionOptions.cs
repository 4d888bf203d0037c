namespace AkkaKv.Sharding;

/// <summary>How a <see cref="ShardRegion"/> routes.</summary>
public sealed record ShardRegionOptions
{
    /// <summary>This node (serializable reads prefer its replica).</summary>
    public NodeId LocalNode { get; init; }

    /// <summary>How long one replica may take to answer. Default 5 s.</summary>
    public TimeSpan RequestTimeout { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>Replicas tried per request (redirects included). Default 5.</summary>
    public int MaxAttempts { get; init; } = 5;

    /// <summary>Back-off before retrying after <see cref="ShardUnavailable"/>, times the attempt number. Default 20 ms.</summary>
    public TimeSpan RetryBackoff { get; init; } = TimeSpan.FromMilliseconds(20);
}
