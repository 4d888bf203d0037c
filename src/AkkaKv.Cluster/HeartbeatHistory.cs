namespace AkkaKv.Cluster;

/// <summary>A bounded window of heartbeat intervals (ms) with their running sum and sum of squares.</summary>
internal sealed class HeartbeatHistory(int maxSampleSize)
{
    private readonly Queue<double> _intervals = new();
    private double _sum;
    private double _squares;

    public int Count => _intervals.Count;

    public double Mean => _sum / _intervals.Count;

    public double Variance => Math.Max(0, (_squares / _intervals.Count) - (Mean * Mean));

    public double StdDeviation => Math.Sqrt(Variance);

    public void Add(double intervalMs)
    {
        if (_intervals.Count == maxSampleSize)
        {
            var oldest = _intervals.Dequeue();
            _sum -= oldest;
            _squares -= oldest * oldest;
        }
        _intervals.Enqueue(intervalMs);
        _sum += intervalMs;
        _squares += intervalMs * intervalMs;
    }
}
