using Microsoft.Extensions.Logging;
using Xunit.Sdk;

namespace AkkaKv.TestKit;

/// <summary>
/// Asserts that running an action produces exactly a given number of matching log entries or dead letters:
/// <c>EventFilter.Error(contains: "boom").Expect(1, () =&gt; actor.Tell(fail))</c>.
/// </summary>
public sealed class EventFilter
{
    private readonly EventCapture _capture;
    private readonly TestClock _clock;
    private readonly Func<CapturedEvent, bool> _predicate;
    private readonly string _description;

    internal EventFilter(EventCapture capture, TestClock clock, Func<CapturedEvent, bool> predicate, string description)
    {
        _capture = capture;
        _clock = clock;
        _predicate = predicate;
        _description = description;
    }

    /// <summary>Runs <paramref name="action"/> and waits until exactly <paramref name="count"/> new matching events occurred.</summary>
    public void Expect(int count, Action action, TimeSpan? timeout = null)
    {
        ArgumentNullException.ThrowIfNull(action);
        var before = _capture.Count(_predicate);
        action();
        var reached = _clock.WaitUntil(() => _capture.Count(_predicate) - before >= count, timeout ?? _clock.Settings.DefaultTimeout);
        _clock.Settle();
        var seen = _capture.Count(_predicate) - before;
        if (!reached || seen != count)
        {
            throw new XunitException($"Expected {count} {_description} but saw {seen}.");
        }
    }

    /// <summary>Matches log entries at <paramref name="level"/> or above whose text contains <paramref name="contains"/>.</summary>
    internal static Func<CapturedEvent, bool> Log(LogLevel level, string? contains, Type? exceptionType) => captured =>
        captured is CapturedLog log
        && log.Level >= level
        && (contains is null || log.Message.Contains(contains, StringComparison.Ordinal))
        && (exceptionType is null || exceptionType.IsInstanceOfType(log.Exception));

    /// <summary>Matches dead letters whose message is a <typeparamref name="T"/>.</summary>
    internal static Func<CapturedEvent, bool> DeadLetterOf<T>() => captured =>
        captured is CapturedDeadLetter { DeadLetter.Message: T };

    internal static string DescribeDeadLetter<T>() => $"dead letters of {typeof(T).Name}";
}
