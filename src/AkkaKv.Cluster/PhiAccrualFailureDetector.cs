namespace AkkaKv.Cluster;

/// <summary>
/// The phi-accrual failure detector (Hayashibara et al.) for one monitored node, as Akka uses it: instead of a yes/no
/// timeout it reports phi, the suspicion level, from how late the next heartbeat is against the history of
/// intervals (plus an acceptable pause). Pure: timestamps are arguments (milliseconds on one monotonic clock).
/// </summary>
public sealed class PhiAccrualFailureDetector
{
    private readonly PhiAccrualOptions _options;
    private readonly HeartbeatHistory _history;
    private long? _lastHeartbeatMs;

    public PhiAccrualFailureDetector(PhiAccrualOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var problems = options.Validate();
        if (problems.Count > 0)
        {
            throw new ArgumentException(string.Join("; ", problems), nameof(options));
        }
        _options = options;
        _history = new HeartbeatHistory(options.MaxSampleSize);
    }

    /// <summary>True once a heartbeat has arrived (before that, the node is not being judged).</summary>
    public bool IsMonitoring => _lastHeartbeatMs is not null;

    /// <summary>A heartbeat arrived at <paramref name="nowMs"/>.</summary>
    public void Heartbeat(long nowMs)
    {
        if (_lastHeartbeatMs is not { } last)
        {
            // Seed the history with the expected interval ± a quarter, as Akka does, so phi is meaningful at once.
            var estimate = _options.HeartbeatInterval.TotalMilliseconds;
            _history.Add(estimate - (estimate / 4));
            _history.Add(estimate + (estimate / 4));
        }
        else if (nowMs > last && IsAvailable(nowMs))
        {
            // An interval that ended a suspected pause would skew the statistics; it is left out.
            _history.Add(nowMs - last);
        }
        _lastHeartbeatMs = Math.Max(nowMs, _lastHeartbeatMs ?? nowMs);
    }

    /// <summary>The suspicion level at <paramref name="nowMs"/>: 0 before the first heartbeat; grows the later the next one is.</summary>
    public double Phi(long nowMs)
    {
        if (_lastHeartbeatMs is not { } last)
        {
            return 0;
        }
        var elapsed = Math.Max(0, nowMs - last);
        var mean = _history.Mean + _options.AcceptableHeartbeatPause.TotalMilliseconds;
        var deviation = Math.Max(_history.StdDeviation, _options.MinStdDeviation.TotalMilliseconds);
        return PhiOf(elapsed, mean, deviation);
    }

    /// <summary>Whether the node is trusted at <paramref name="nowMs"/> (phi below the threshold).</summary>
    public bool IsAvailable(long nowMs) => Phi(nowMs) < _options.Threshold;

    /// <summary>
    /// −log10 of the probability that a heartbeat is later than <paramref name="elapsedMs"/>, with intervals normal
    /// around <paramref name="meanMs"/>; the CDF uses the logistic approximation Akka uses (error &lt; 0.0002).
    /// </summary>
    internal static double PhiOf(double elapsedMs, double meanMs, double stdDeviationMs)
    {
        var y = (elapsedMs - meanMs) / stdDeviationMs;
        var e = Math.Exp(-y * (1.5976 + (0.070566 * y * y)));
        return elapsedMs > meanMs
            ? -Math.Log10(e / (1.0 + e))
            : -Math.Log10(1.0 - (1.0 / (1.0 + e)));
    }
}
