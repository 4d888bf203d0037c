namespace AkkaKv.Cluster.Tests;

/// <summary>
/// The phi-accrual failure detector under virtual time: phi grows the longer a heartbeat is overdue, regular
/// heartbeats keep a node trusted through the acceptable pause, a silent node is suspected at a predictable time,
/// jittery but live heartbeats are not suspected, and the history stays bounded. Method: timestamps as arguments.
/// </summary>
public sealed class PhiAccrualFailureDetectorTests
{
    private static PhiAccrualFailureDetector WithRegularHeartbeats(PhiAccrualOptions options, int count, long intervalMs, out long last)
    {
        var detector = new PhiAccrualFailureDetector(options);
        last = 0;
        for (var i = 0; i < count; i++)
        {
            last = i * intervalMs;
            detector.Heartbeat(last);
        }
        return detector;
    }

    [Fact]
    public void Before_the_first_heartbeat_nothing_is_suspected()
    {
        var detector = new PhiAccrualFailureDetector(new PhiAccrualOptions());
        Assert.False(detector.IsMonitoring);
        Assert.Equal(0, detector.Phi(1_000_000));
        Assert.True(detector.IsAvailable(1_000_000));
    }

    [Fact]
    public void Phi_grows_monotonically_with_the_time_since_the_last_heartbeat()
    {
        var detector = WithRegularHeartbeats(new PhiAccrualOptions(), 20, 1_000, out var last);
        var previous = -1.0;
        for (var after = 0; after <= 20_000; after += 250)
        {
            var phi = detector.Phi(last + after);
            Assert.True(phi >= previous, $"phi fell from {previous} to {phi} at +{after} ms");
            previous = phi;
        }
    }

    [Fact]
    public void A_node_with_regular_heartbeats_stays_trusted_through_the_acceptable_pause_and_is_suspected_soon_after()
    {
        var options = new PhiAccrualOptions();
        var detector = WithRegularHeartbeats(options, 60, 1_000, out var last);
        Assert.True(detector.IsAvailable(last + 1_000 + 3_000)); // one interval plus the acceptable pause
        var suspectedAt = Enumerable.Range(1, 600).Select(step => step * 50L).First(after => !detector.IsAvailable(last + after));
        // With Akka's defaults (1 s interval, 3 s pause, 100 ms min deviation, threshold 8) a silent node is
        // suspected about 4.6 s after its last heartbeat.
        Assert.InRange(suspectedAt, 4_400, 4_800);
    }

    [Fact]
    public void Jittery_live_heartbeats_are_not_suspected()
    {
        var random = new Random(7);
        var detector = new PhiAccrualFailureDetector(new PhiAccrualOptions());
        long now = 0;
        for (var i = 0; i < 2_000; i++)
        {
            now += 700 + random.Next(700); // 0.7–1.4 s
            Assert.True(detector.IsAvailable(now), $"suspected a live node at heartbeat {i}");
            detector.Heartbeat(now);
        }
    }

    [Fact]
    public void A_long_pause_does_not_teach_the_detector_to_expect_long_pauses()
    {
        var detector = WithRegularHeartbeats(new PhiAccrualOptions(), 30, 1_000, out var last);
        detector.Heartbeat(last + 60_000); // back after a minute: the interval is left out of the history
        var resumed = last + 60_000;
        Assert.False(detector.IsAvailable(resumed + 6_000)); // still suspected after the usual ~4.6 s
    }

    [Fact]
    public void The_minimum_deviation_keeps_one_late_heartbeat_from_looking_like_a_failure()
    {
        var detector = WithRegularHeartbeats(new PhiAccrualOptions { AcceptableHeartbeatPause = TimeSpan.Zero }, 100, 1_000, out var last);
        Assert.True(detector.IsAvailable(last + 1_200)); // 200 ms late with perfectly regular history
    }

    [Fact]
    public void Phi_matches_the_normal_distribution_closely()
    {
        // At the mean, the probability of a later heartbeat is 1/2: phi = log10(2).
        Assert.Equal(Math.Log10(2), PhiAccrualFailureDetector.PhiOf(1_000, 1_000, 100), 3);
        // Three deviations late: P(X > 3σ) ≈ 0.00135, phi ≈ 2.87.
        Assert.Equal(2.87, PhiAccrualFailureDetector.PhiOf(1_300, 1_000, 100), 1);
    }

    [Fact]
    public void Invalid_settings_are_refused()
    {
        Assert.Throws<ArgumentException>(() => new PhiAccrualFailureDetector(new PhiAccrualOptions { Threshold = 0 }));
        Assert.Throws<ArgumentException>(() => new PhiAccrualFailureDetector(new PhiAccrualOptions { MinStdDeviation = TimeSpan.Zero }));
    }
}
