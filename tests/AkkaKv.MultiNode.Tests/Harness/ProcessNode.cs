using System.Diagnostics;
using System.Globalization;

namespace AkkaKv.MultiNode.Tests.Harness;

/// <summary>A node as a separate <c>akkakv-node</c> process, its console appended to its log file.</summary>
public sealed class ProcessNode(string name, int httpPort, int remotePort, IReadOnlyList<string> settings, string logPath, string workingDirectory)
    : NodeHandle(name, httpPort, remotePort, settings, logPath)
{
    private static readonly string NodeDll = Path.Combine(AppContext.BaseDirectory, "akkakv-node.dll");
    private Process? _process;
    private StreamWriter? _log;

    public override bool IsRunning => _process is { HasExited: false };

    /// <summary>The exit code of the last run, once it exited.</summary>
    public int? ExitCode => _process is { HasExited: true } process ? process.ExitCode : null;

    public override async Task StartAsync()
    {
        var info = new ProcessStartInfo("dotnet") { WorkingDirectory = workingDirectory, RedirectStandardOutput = true, RedirectStandardError = true };
        info.ArgumentList.Add(NodeDll);
        foreach (var setting in Settings)
        {
            info.ArgumentList.Add("--set");
            info.ArgumentList.Add(setting);
        }
        _log = new StreamWriter(new FileStream(LogPath, FileMode.Append, FileAccess.Write, FileShare.ReadWrite)) { AutoFlush = true };
        var log = _log;
        var process = new Process { StartInfo = info };
        process.OutputDataReceived += (_, line) => Append(log, line.Data);
        process.ErrorDataReceived += (_, line) => Append(log, line.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        _process = process;
        await WaitUntilHealthyAsync(TimeSpan.FromSeconds(60), () => !process.HasExited);
    }

    private static void Append(StreamWriter log, string? line)
    {
        if (line is null)
        {
            return;
        }
        lock (log)
        {
            try
            {
                log.WriteLine(line);
            }
            catch (ObjectDisposedException)
            {
                // the run is over
            }
        }
    }

    public override async Task StopAsync()
    {
        if (_process is { HasExited: false } process)
        {
            using (var kill = Process.Start("kill", ["-TERM", process.Id.ToString(CultureInfo.InvariantCulture)]))
            {
                await kill.WaitForExitAsync();
            }
            await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(60));
        }
        CloseLog();
    }

    public override async Task KillAsync()
    {
        if (_process is { HasExited: false } process)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(60));
        }
        CloseLog();
    }

    /// <summary>Sends <paramref name="signal"/> (e.g. <c>STOP</c>, <c>CONT</c>) to the running process.</summary>
    public async Task SignalAsync(string signal)
    {
        var process = _process is { HasExited: false } running ? running : throw new InvalidOperationException($"{Name} is not running");
        using var kill = Process.Start("kill", [$"-{signal}", process.Id.ToString(CultureInfo.InvariantCulture)])!;
        await kill.WaitForExitAsync();
    }

    /// <summary>Waits for the process to exit by itself and returns its exit code.</summary>
    public async Task<int> WaitForExitAsync(TimeSpan timeout)
    {
        var process = _process ?? throw new InvalidOperationException($"{Name} was never started");
        await process.WaitForExitAsync().WaitAsync(timeout);
        return process.ExitCode;
    }

    private void CloseLog()
    {
        if (_log is { } log)
        {
            lock (log)
            {
                log.Dispose();
            }
        }
    }

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        _process?.Dispose();
    }
}
