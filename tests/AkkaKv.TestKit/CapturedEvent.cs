using Microsoft.Extensions.Logging;

namespace AkkaKv.TestKit;

/// <summary>Something <see cref="EventCapture"/> recorded.</summary>
public abstract record CapturedEvent
{
    private protected CapturedEvent() { }
}

/// <summary>A log entry.</summary>
public sealed record CapturedLog(LogLevel Level, string Category, string Message, Exception? Exception) : CapturedEvent;
