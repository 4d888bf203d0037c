using AkkaKv.Node;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace AkkaKv.MultiNode.Tests.Harness;

/// <summary>
/// A node hosted in the test process on its own loopback ports (fast to start; a "kill" is a quick stop). It is
/// supervised as <c>build.sh run</c> and the systemd unit supervise a node process: when the cluster downs it (exit
/// code <see cref="NodeRuntime.DownedExitCode"/>) it is started again on the same data directory, a new incarnation.
/// </summary>
public sealed class InProcessNode(string name, int httpPort, int remotePort, IReadOnlyList<string> settings, string logPath)
    : NodeHandle(name, httpPort, remotePort, settings, logPath)
{
    private volatile WebApplication? _app;
    private Task _run = Task.CompletedTask;
    private FileLoggerProvider? _log;
    private volatile bool _stopRequested;

    public override bool IsRunning => _app is { } app && !_run.IsCompleted && !app.Lifetime.ApplicationStopping.IsCancellationRequested;

    public override async Task StartAsync()
    {
        _log ??= new FileLoggerProvider(LogPath);
        _stopRequested = false;
        var first = Build();
        _run = SuperviseAsync(first);
        await WaitUntilHealthyAsync(TimeSpan.FromSeconds(30), () => !_run.IsCompleted);
    }

    private WebApplication Build()
    {
        var log = _log!;
        var app = NodeApplication.Build(new NodeArguments(null, Settings, false, false), logging =>
        {
            logging.ClearProviders();
            logging.AddProvider(log);
        });
        _app = app;
        return app;
    }

    /// <summary>Runs the node as the process would (it stops itself after a leave) and starts it again when it was downed.</summary>
    private async Task SuperviseAsync(WebApplication app)
    {
        while (true)
        {
            var runtime = app.Services.GetRequiredService<NodeRuntime>();
            await app.RunAsync(); // disposes the host when it has stopped
            if (_stopRequested || runtime.ExitCode != NodeRuntime.DownedExitCode)
            {
                return;
            }
            app = await Task.Run(Build);
        }
    }

    public override async Task StopAsync()
    {
        _stopRequested = true;
        if (_app is { } app)
        {
            if (!_run.IsCompleted)
            {
                try
                {
                    app.Lifetime.StopApplication();
                }
                catch (ObjectDisposedException)
                {
                    // between two incarnations: the supervisor sees the stop request and does not start another
                }
            }
            await _run.WaitAsync(TimeSpan.FromSeconds(60));
            _app = null;
        }
        _log?.Dispose();
        _log = null;
    }

    public override Task KillAsync() => StopAsync();

    /// <summary>Completes when the node has stopped by itself (e.g. after leaving the cluster) and was not started again.</summary>
    public Task Stopped => _run;
}
