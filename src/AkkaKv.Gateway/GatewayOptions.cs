namespace AkkaKv.Gateway;

/// <summary>Limits of the HTTP API.</summary>
public sealed record GatewayOptions
{
    /// <summary>Largest value accepted, in bytes; a larger body is refused with 413.</summary>
    public long MaxValueBytes { get; init; } = 1024 * 1024;

    /// <summary>Longest key accepted, in UTF-8 bytes.</summary>
    public int MaxKeyBytes { get; init; } = 1024;

    /// <summary>Longest Idempotency-Key header accepted, in characters.</summary>
    public int MaxIdempotencyKeyLength { get; init; } = 256;

    /// <summary>Most keys one scan returns.</summary>
    public int MaxScanLimit { get; init; } = 10_000;
}
