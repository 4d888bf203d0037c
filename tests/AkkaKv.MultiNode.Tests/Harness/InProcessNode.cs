using AkkaKv.Node;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Logging;

namespace AkkaKv.MultiNode.Tests.Harness;

/// <summary>A node hosted in the test process on its own loopback ports (fast to start; a "kill" is a quick stop).</summary>
public sealed class InProcessNode(string name, int httpPort, int remotePort, IReadOnlyList<string> settings, string logPath)
    : NodeHandle(name, httpPort, remotePort, settings, logPath)
{
    private WebApplication? _app;
    private Task _run = Task.CompletedTask;
    private FileLoggerProvider? _log;

    private CancellationToken _stopping;

    public override bool IsRunning => _app is not null && !_run.IsCompleted && !_stopping.IsCancellationRequested;

    public override async Task StartAsync()
    {
        _log = new FileLoggerProvider(LogPath);
        var log = _log;
        _app = NodeApplication.Build(new NodeArguments(null, Settings, false, false), logging =>
        {
            logging.ClearProviders();
            logging.AddProvider(log);
        });
        // Run as the process would: the host stops itself when asked to (e.g. by a finished leave).
        var app = _app;
        _stopping = app.Lifetime.ApplicationStopping;
        _run = app.RunAsync(); // disposes the host when it has stopped
        await WaitUntilHealthyAsync(TimeSpan.FromSeconds(30), () => !_run.IsCompleted);
    }

    public override async Task StopAsync()
    {
        if (_app is { } app)
        {
            _app = null;
            if (!_run.IsCompleted)
            {
                app.Lifetime.StopApplication();
            }
            await _run.WaitAsync(TimeSpan.FromSeconds(60));
        }
        _log?.Dispose();
    }

    public override Task KillAsync() => StopAsync();

    /// <summary>Completes when the node has stopped by itself (e.g. after leaving the cluster).</summary>
    public Task Stopped => _run;
}
