namespace AkkaKv.Actors;

/// <summary>Counts a child's restarts within a window, to enforce a strategy's retry limit.</summary>
internal sealed class ChildRestartStats
{
    private int _restarts;
    private long _windowStartTimestamp;

    /// <summary>Records a restart request at <paramref name="now"/>; false when the limit is exceeded.</summary>
    public bool RequestRestart(int maxRetries, TimeSpan window, long now, TimeProvider time)
    {
        if (maxRetries < 0)
        {
            return true;
        }
        if (window > TimeSpan.Zero && (_restarts == 0 || time.GetElapsedTime(_windowStartTimestamp, now) > window))
        {
            _windowStartTimestamp = now;
            _restarts = 0;
        }
        _restarts++;
        return _restarts <= maxRetries;
    }
}
