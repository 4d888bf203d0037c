namespace AkkaKv.Client;

/// <summary>Settings of <see cref="AkkaKvClient"/>.</summary>
public sealed record AkkaKvClientOptions
{
    /// <summary>Retries of a request answered 503/504 or lost on the network. Writes reuse their Idempotency-Key, so a retry is applied at most once.</summary>
    public int MaxRetries { get; init; } = 3;

    /// <summary>Delay before the first retry; doubled for each next one.</summary>
    public TimeSpan RetryBackoff { get; init; } = TimeSpan.FromMilliseconds(100);

    /// <summary>Timeout of one HTTP attempt.</summary>
    public TimeSpan RequestTimeout { get; init; } = TimeSpan.FromSeconds(10);
}
