namespace AkkaKv.Cluster;

/// <summary>The failure detector's settings; the defaults are Akka.NET's.</summary>
public sealed record PhiAccrualOptions
{
    /// <summary>Phi at or above which a node is suspected. Default 8 (Akka's).</summary>
    public double Threshold { get; init; } = 8.0;

    /// <summary>Heartbeat intervals remembered. Default 1000.</summary>
    public int MaxSampleSize { get; init; } = 1000;

    /// <summary>Floor of the intervals' standard deviation, so perfectly regular heartbeats do not make phi explode on the first late one. Default 100 ms.</summary>
    public TimeSpan MinStdDeviation { get; init; } = TimeSpan.FromMilliseconds(100);

    /// <summary>A pause (GC, network blip) tolerated on top of the usual interval. Default 3 s.</summary>
    public TimeSpan AcceptableHeartbeatPause { get; init; } = TimeSpan.FromSeconds(3);

    /// <summary>How often heartbeats are sent; also the first estimate before any interval is known. Default 1 s.</summary>
    public TimeSpan HeartbeatInterval { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>Cross-field rules; the problems found (empty when valid).</summary>
    public IReadOnlyList<string> Validate()
    {
        var problems = new List<string>();
        if (Threshold <= 0)
        {
            problems.Add("threshold must be positive");
        }
        if (MaxSampleSize < 1)
        {
            problems.Add("max-sample-size must be at least 1");
        }
        if (MinStdDeviation <= TimeSpan.Zero || HeartbeatInterval <= TimeSpan.Zero || AcceptableHeartbeatPause < TimeSpan.Zero)
        {
            problems.Add("min-std-deviation and heartbeat-interval must be positive, acceptable-heartbeat-pause not negative");
        }
        return problems;
    }
}
