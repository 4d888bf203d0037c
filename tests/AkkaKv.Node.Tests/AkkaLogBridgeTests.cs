using Akka.Actor;
using Akka.Configuration;
using Akka.Event;
using Akka.Hosting.Logging;
using AkkaKv.TestKit;
using Microsoft.Extensions.Logging;
using MsLogLevel = Microsoft.Extensions.Logging.LogLevel;

namespace AkkaKv.Node.Tests;

/// <summary>
/// Akka.NET's log events reach the node's log as its own lines (<see cref="AkkaLogBridge"/>): under the category of
/// the class that logged (or "Akka" for a string source), at the mapped level, with the formatted message after its
/// source and without Akka's own "[INFO][timestamp][Thread …]" prefix; an error keeps its exception.
/// </summary>
public sealed class AkkaLogBridgeTests
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task Akka_events_are_logged_once_formatted_under_their_class_with_level_and_exception()
    {
        var capture = new EventCapture();
        using var factory = LoggerFactory.Create(logging => logging.AddProvider(capture).SetMinimumLevel(MsLogLevel.Debug));
        var setup = BootstrapSetup.Create()
            .WithConfig(ConfigurationFactory.ParseString($"akka.loggers = [\"{typeof(AkkaLogBridge).AssemblyQualifiedName}\"]\nakka.loglevel = DEBUG"))
            .And(new LoggerFactorySetup(factory));
        var system = ActorSystem.Create("bridge", setup);
        try
        {
            new BusLogging(system.EventStream, nameof(AkkaLogBridgeTests), typeof(AkkaLogBridgeTests), DefaultLogMessageFormatter.Instance).Info("written {0} of {1}", 3, 4);
            Logging.GetLogger(system, "plain-source").Error(new InvalidOperationException("boom"), "it failed");
            var deadline = DateTime.UtcNow + Deadline;
            CapturedLog[] Logged() => [.. capture.Events.OfType<CapturedLog>().Where(log => log.Message.Contains("written", StringComparison.Ordinal) || log.Message.Contains("it failed", StringComparison.Ordinal))];
            while (Logged().Length < 2 && DateTime.UtcNow < deadline)
            {
                await Task.Yield();
            }
            var logged = Logged();
            Assert.Equal(2, logged.Length);
            var info = logged.Single(log => log.Level == MsLogLevel.Information);
            Assert.Equal(typeof(AkkaLogBridgeTests).FullName, info.Category);
            Assert.EndsWith("] written 3 of 4", info.Message, StringComparison.Ordinal);
            Assert.DoesNotContain("[INFO]", info.Message, StringComparison.Ordinal);
            Assert.DoesNotContain("Thread", info.Message, StringComparison.Ordinal);
            var error = logged.Single(log => log.Level == MsLogLevel.Error);
            Assert.Equal("Akka", error.Category);
            Assert.Equal("[plain-source (akka://bridge)] it failed", error.Message); // Akka names a string source with its system
            Assert.IsType<InvalidOperationException>(error.Exception);
        }
        finally
        {
            await system.Terminate().WaitAsync(Deadline);
        }
    }
}
