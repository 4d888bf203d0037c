using AkkaKv.Actors;
using Microsoft.Extensions.Logging;
using Xunit.Abstractions;

namespace AkkaKv.TestKit;

/// <summary>
/// Records every log entry of the systems it is attached to (and echoes them to the xunit output), plus every dead
/// letter, for <see cref="EventFilter"/> to count.
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

    /// <summary>Starts recording dead letters of <paramref name="system"/>.</summary>
    public void AttachDeadLetters(ActorSystem system)
    {
        ArgumentNullException.ThrowIfNull(system);
        var listener = system.SystemActorOf(Props.Create(() => new DeadLetterListener(this)), "testkit-dead-letters");
        system.EventStream.Subscribe(listener, typeof(DeadLetter));
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

    private sealed class DeadLetterListener(EventCapture owner) : Actor
    {
        protected override void Receive(object message)
        {
            if (message is DeadLetter deadLetter)
            {
                owner.Add(new CapturedDeadLetter(deadLetter));
            }
        }
    }
}
