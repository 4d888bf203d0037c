using Microsoft.Extensions.Logging;

namespace AkkaKv.TestKit;

/// <summary>Builds <see cref="EventFilter"/>s over a test kit's captured events.</summary>
public sealed class EventFilterFactory
{
    private readonly EventCapture _capture;
    private readonly TestClock _clock;

    internal EventFilterFactory(EventCapture capture, TestClock clock)
    {
        _capture = capture;
        _clock = clock;
    }

    /// <summary>Error (or worse) log entries containing <paramref name="contains"/>, optionally carrying an exception of <paramref name="exceptionType"/>.</summary>
    public EventFilter Error(string? contains = null, Type? exceptionType = null) =>
        new(_capture, _clock, EventFilter.Log(LogLevel.Error, contains, exceptionType), $"errors containing '{contains}'");

    /// <summary>Warning (or worse) log entries containing <paramref name="contains"/>.</summary>
    public EventFilter Warning(string? contains = null) =>
        new(_capture, _clock, EventFilter.Log(LogLevel.Warning, contains, null), $"warnings containing '{contains}'");

    /// <summary>Information (or worse) log entries containing <paramref name="contains"/>.</summary>
    public EventFilter Info(string? contains = null) =>
        new(_capture, _clock, EventFilter.Log(LogLevel.Information, contains, null), $"info entries containing '{contains}'");

    /// <summary>Dead letters whose message is a <typeparamref name="T"/>.</summary>
    public EventFilter DeadLetter<T>() =>
        new(_capture, _clock, EventFilter.DeadLetterOf<T>(), EventFilter.DescribeDeadLetter<T>());
}
