using Microsoft.Extensions.Logging;
using Xunit.Abstractions;

namespace AkkaKv.TestKit;

/// <summary>
/// An <see cref="ILoggerProvider"/> that records every log entry written through it (and echoes it to the xunit
/// output), for a test to count or inspect.
/// </summary>
public sealed class EventCapture : ILoggerProvider
{
    private readonly Lock _lock = new();
    private readonly List<CapturedEvent> _events = [];
    private readonly ITestOutputHelper? _output;

    /// <summary>A capture echoing to <paramref name="output"/> when given.</summary>
    public EventCapture(ITestOutputHelper? output = null) => _output = output;

    /// <summary>Everything captured so far.</summary>
    public IReadOnlyList<CapturedEvent> Events
    {
        get
        {
            lock (_lock)
            {
                return [.. _events];
            }
        }
    }

    /// <summary>Number of captured events matching <paramref name="predicate"/>.</summary>
    public int Count(Func<CapturedEvent, bool> predicate)
    {
        lock (_lock)
        {
            return _events.Count(predicate);
        }
    }

    internal void Add(CapturedEvent captured)
    {
        lock (_lock)
        {
            _events.Add(captured);
        }
    }

    public ILogger CreateLogger(string categoryName) => new CaptureLogger(this, categoryName);

    public void Dispose() { }

    private void Write(LogLevel level, string category, string message, Exception? exception)
    {
        Add(new CapturedLog(level, category, message, exception));
        if (_output is null)
        {
            return;
        }
        try
        {
            _output.WriteLine($"[{level}] {category}: {message}{(exception is null ? "" : Environment.NewLine + exception)}");
        }
        catch (InvalidOperationException)
        {
            // xunit refuses output once the test has finished; late log lines of a stopping system are dropped.
        }
    }

    private sealed class CaptureLogger(EventCapture owner, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel != LogLevel.None;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            owner.Write(logLevel, category, formatter(state, exception), exception);
    }
}
