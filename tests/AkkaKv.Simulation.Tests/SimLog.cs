using System.Text;
using Microsoft.Extensions.Logging;

namespace AkkaKv.Simulation.Tests;

/// <summary>
/// The simulation's log (when <c>AKKAKV_SIMULATION_LOG</c> is set): every replica's log lines stamped with virtual
/// time, kept in memory and written to a file when the run fails, so a replayed seed can be read step by step.
/// </summary>
internal sealed class SimLog(Func<TimeSpan> now) : ILoggerFactory, ILoggerProvider
{
    private readonly StringBuilder _text = new();

    public static bool Enabled => !string.IsNullOrEmpty(Environment.GetEnvironmentVariable("AKKAKV_SIMULATION_LOG"));

    public void Line(string source, string message) => _text.Append(now().TotalSeconds.ToString("F3", System.Globalization.CultureInfo.InvariantCulture)).Append("s ").Append(source).Append(": ").AppendLine(message);

    public string Save(int seed)
    {
        var path = Path.Combine(Path.GetTempPath(), $"akkakv-sim-{seed}.log");
        File.WriteAllText(path, _text.ToString());
        return path;
    }

    public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName[(categoryName.LastIndexOf('.') + 1)..]);

    public void AddProvider(ILoggerProvider provider) { }

    public void Dispose() { }

    private sealed class Logger(SimLog log, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Debug;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            log.Line(category, formatter(state, exception) + (exception is null ? "" : $" ({exception.GetType().Name}: {exception.Message})"));
    }
}
