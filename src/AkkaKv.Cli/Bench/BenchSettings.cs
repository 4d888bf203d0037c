namespace AkkaKv.Cli.Bench;

/// <summary>What <c>akkakv bench</c> runs: a closed loop of <see cref="Connections"/> workers, each sending its next request when the previous one answers.</summary>
internal sealed record BenchSettings
{
    public int Connections { get; init; } = 64;
    public TimeSpan? Duration { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Load run first and not measured, so the figures are of warm processes (JIT, connections, caches).</summary>
    public TimeSpan Warmup { get; init; }
    public long? Operations { get; init; }
    public int Keys { get; init; } = 100_000;
    public int ValueSize { get; init; } = 256;
    public double ReadRatio { get; init; }
    public string Consistency { get; init; } = "linearizable";
    public bool Preload { get; init; }
    public int Seed { get; init; } = 1;

    /// <summary>Problems with these settings, one line each.</summary>
    public IReadOnlyList<string> Validate()
    {
        var problems = new List<string>();
        if (Connections is < 1 or > 10_000) problems.Add("--connections must be 1-10000");
        if (Keys < 1) problems.Add("--keys must be at least 1");
        if (ValueSize is < 0 or > 16 * 1024 * 1024) problems.Add("--value-size must be 0-16777216 bytes");
        if (ReadRatio is < 0 or > 1) problems.Add("--read-ratio must be between 0 and 1");
        if (Duration is null && Operations is null) problems.Add("give --duration or --ops");
        if (Duration is { } duration && duration <= TimeSpan.Zero) problems.Add("--duration must be positive");
        if (Operations is < 1) problems.Add("--ops must be at least 1");
        if (Warmup < TimeSpan.Zero) problems.Add("--warmup must not be negative");
        if (Consistency is not ("linearizable" or "serializable" or "eventual")) problems.Add("--consistency must be linearizable, serializable or eventual");
        return problems;
    }
}
