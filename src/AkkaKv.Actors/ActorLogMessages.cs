using Microsoft.Extensions.Logging;

namespace AkkaKv.Actors;

/// <summary>The runtime's log messages: lifecycle transitions at Information, failures at Error/Warning.</summary>
internal static partial class ActorLogMessages
{
    [LoggerMessage(Level = LogLevel.Error, Message = "Actor {Path} failed with {ExceptionType}: {Reason}; supervisor directive {Directive}")]
    public static partial void ChildFailed(this ILogger logger, ActorPath path, string exceptionType, string reason, Directive directive, Exception exception);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Actor {Path} exceeded {MaxRetries} restarts within {Window}; stopping it")]
    public static partial void RestartLimitReached(this ILogger logger, ActorPath path, int maxRetries, TimeSpan window);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Actor {Path} failed while stopping")]
    public static partial void FailureWhileStopping(this ILogger logger, ActorPath path, Exception exception);

    [LoggerMessage(Level = LogLevel.Warning, Message = "PreRestart of {Path} threw; restarting anyway")]
    public static partial void RestartHookFailed(this ILogger logger, ActorPath path, Exception exception);

    [LoggerMessage(Level = LogLevel.Warning, Message = "PostStop of {Path} threw")]
    public static partial void PostStopFailed(this ILogger logger, ActorPath path, Exception exception);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Actor {Path} did not handle a {MessageType}")]
    public static partial void UnhandledMessage(this ILogger logger, ActorPath path, Type messageType);

    [LoggerMessage(Level = LogLevel.Information, Message = "Dead letter: {MessageType} from {Sender} to {Recipient} was not delivered ({Count} so far)")]
    public static partial void DeadLetterLogged(this ILogger logger, Type messageType, ActorPath? sender, ActorPath recipient, long count);

    [LoggerMessage(Level = LogLevel.Information, Message = "Logged {Limit} dead letters; further ones are only counted (akkakv.actor.log-dead-letters)")]
    public static partial void DeadLetterLoggingSuppressed(this ILogger logger, int limit);

    [LoggerMessage(Level = LogLevel.Information, Message = "Actor system {System} terminated")]
    public static partial void SystemTerminated(this ILogger logger, string system);

    [LoggerMessage(Level = LogLevel.Critical, Message = "The root guardian of {System} failed; stopping it")]
    public static partial void RootGuardianFailed(this ILogger logger, string system, Exception exception);

    [LoggerMessage(Level = LogLevel.Information, Message = "Coordinated shutdown of {System} started: {Reason}")]
    public static partial void ShutdownStarted(this ILogger logger, string system, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Shutdown phase {Phase} timed out after {Timeout}; continuing")]
    public static partial void ShutdownPhaseTimedOut(this ILogger logger, string phase, TimeSpan timeout);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Shutdown task {Task} of phase {Phase} failed")]
    public static partial void ShutdownTaskFailed(this ILogger logger, string phase, string task, Exception exception);

    [LoggerMessage(Level = LogLevel.Information, Message = "Backoff supervisor {Path} restarts its child in {Delay} (restart {Count})")]
    public static partial void BackoffRestartScheduled(this ILogger logger, ActorPath path, TimeSpan delay, int count);
}
