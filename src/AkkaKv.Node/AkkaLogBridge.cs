using System.Collections.Concurrent;
using Akka.Actor;
using Akka.Event;
using Akka.Hosting.Logging;
using MsLogLevel = Microsoft.Extensions.Logging.LogLevel;

namespace AkkaKv.Node;

/// <summary>
/// Akka.NET's log events in the node's log as its own lines: the category is the class that logged
/// (<c>Akka.Cluster.Cluster</c>, <c>Akka.Remote.EndpointWriter</c>…) and the text is Akka's message after its
/// source (<c>[akka://…/system/cluster/core/daemon] Leader is moving node…</c>), without Akka's own level, timestamp
/// and thread prefix that the host's formatter already writes — Akka.Hosting's bridge logs every event as
/// <c>Akka.Actor.ActorSystem</c> with that prefix.
/// </summary>
public sealed class AkkaLogBridge : LoggerFactoryLogger
{
    private readonly ILoggerFactory _loggers;
    private readonly ConcurrentDictionary<Type, ILogger> _byClass = new();

    public AkkaLogBridge()
    {
        _loggers = Context.System.Settings.Setup.Get<LoggerFactorySetup>().Value.LoggerFactory;
    }

    protected override void Log(LogEvent log, ActorPath path)
    {
        ArgumentNullException.ThrowIfNull(log);
        var logger = _byClass.GetOrAdd(log.LogClass ?? typeof(ActorSystem), type => _loggers.CreateLogger(CategoryOf(type)));
        var level = LevelOf(log.LogLevel());
        if (logger.IsEnabled(level))
        {
            logger.Log(level, default, Line(log), log.Cause, static (line, _) => line);
        }
    }

    /// <summary>The logging class's name; "Akka" for events Akka logged under a plain string source (remoting, Cluster).</summary>
    internal static string CategoryOf(Type type) =>
        type.Name == "DummyClassForStringSources" ? "Akka" : type.FullName ?? type.Name;

    /// <summary>The text of <paramref name="log"/>: its source in brackets, then its message.</summary>
    internal static string Line(LogEvent log) => $"[{log.LogSource}] {log.Message}";

    internal static MsLogLevel LevelOf(Akka.Event.LogLevel level) => level switch
    {
        Akka.Event.LogLevel.DebugLevel => MsLogLevel.Debug,
        Akka.Event.LogLevel.InfoLevel => MsLogLevel.Information,
        Akka.Event.LogLevel.WarningLevel => MsLogLevel.Warning,
        _ => MsLogLevel.Error,
    };
}
