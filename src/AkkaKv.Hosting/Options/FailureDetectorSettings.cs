using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Configuration;

namespace AkkaKv.Hosting.Options;

/// <summary>The phi-accrual failure detector (<c>akkakv.cluster.failure-detector</c>); defaults are Akka's.</summary>
public sealed record FailureDetectorSettings
{
    public const string Section = "akkakv:cluster:failure-detector";

    /// <summary>Phi at or above which a member is suspected.</summary>
    [ConfigurationKeyName("threshold"), Range(0.5, 100.0)]
    public double Threshold { get; init; } = 8.0;

    /// <summary>Heartbeat intervals remembered.</summary>
    [ConfigurationKeyName("max-sample-size"), Range(1, 100_000)]
    public int MaxSampleSize { get; init; } = 1000;

    /// <summary>Floor of the intervals' standard deviation.</summary>
    [ConfigurationKeyName("min-std-deviation"), Range(typeof(TimeSpan), "00:00:00.001", "00:01:00")]
    public TimeSpan MinStdDeviation { get; init; } = TimeSpan.FromMilliseconds(100);

    /// <summary>A pause (GC, network blip) tolerated on top of the usual interval.</summary>
    [ConfigurationKeyName("acceptable-heartbeat-pause"), Range(typeof(TimeSpan), "00:00:00", "00:10:00")]
    public TimeSpan AcceptableHeartbeatPause { get; init; } = TimeSpan.FromSeconds(3);

    /// <summary>How often heartbeats are sent.</summary>
    [ConfigurationKeyName("heartbeat-interval"), Range(typeof(TimeSpan), "00:00:00.010", "00:01:00")]
    public TimeSpan HeartbeatInterval { get; init; } = TimeSpan.FromSeconds(1);
}
