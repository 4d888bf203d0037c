using AkkaKv.Actors;
using Microsoft.Extensions.Logging;

namespace AkkaKv.TestKit;

/// <summary>Something a test kit saw happen: a log entry or a dead letter.</summary>
public abstract record CapturedEvent
{
    private protected CapturedEvent() { }
}

/// <summary>A log entry written by an actor or the runtime.</summary>
public sealed record CapturedLog(LogLevel Level, string Category, string Message, Exception? Exception) : CapturedEvent;

/// <summary>A message that went to dead letters.</summary>
public sealed record CapturedDeadLetter(DeadLetter DeadLetter) : CapturedEvent;
