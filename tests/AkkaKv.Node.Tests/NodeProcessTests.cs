using AkkaKv.TestKit;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace AkkaKv.Node.Tests;

/// <summary>
/// akkakv-node run the way an operator runs it: a real process on a free loopback port. It serves health and
/// readiness, exits 0 on SIGTERM after a graceful shutdown, and refuses bad starts with one line and a non-zero
/// exit. Method: start the built executable, talk HTTP to it, signal it.
/// </summary>
public sealed class NodeProcessTests : IDisposable
{
    private static readonly string NodeDll = Path.Combine(AppContext.BaseDirectory, "akkakv-node.dll");
    private readonly string _directory = Directory.CreateTempSubdirectory("akkakv-node-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private Process Start(params string[] args)
    {
        var info = new ProcessStartInfo("dotnet") { WorkingDirectory = _directory, RedirectStandardOutput = true, RedirectStandardError = true };
        info.ArgumentList.Add(NodeDll);
        // Any free peer port, so nodes of parallel tests do not compete for the default 2551.
        var needsPeerPort = !args.Contains("--help") && !args.Contains("--version");
        foreach (var arg in needsPeerPort ? ["--set", "akkakv.remote.port=0", .. args] : args)
        {
            info.ArgumentList.Add(arg);
        }
        return Process.Start(info)!;
    }

    private static async Task<(int ExitCode, string Stdout, string Stderr)> RunToExit(Process process)
    {
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(60));
        return (process.ExitCode, await stdout, await stderr);
    }

    [Fact]
    public async Task The_node_serves_health_and_exits_zero_on_sigterm()
    {
        var port = FreeTcpPort.Next();
        using var process = Start("--set", $"akkakv.http.port={port}", "--set", "akkakv.node.name=proc1");
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}") };
        string? ready = null;
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        while (ready is null && DateTime.UtcNow < deadline && !process.HasExited)
        {
            try
            {
                ready = await http.GetStringAsync("/readyz");
            }
            catch (HttpRequestException)
            {
                await process.WaitForExitAsync().WaitAsync(TimeSpan.FromMilliseconds(100)).ContinueWith(_ => { }, TaskScheduler.Default);
            }
        }
        Assert.Equal("ready proc1\n", ready);
        Assert.Equal("ok\n", await http.GetStringAsync("/healthz"));
        Assert.True(Directory.Exists(Path.Combine(_directory, "data")));

        using (var kill = Process.Start("kill", ["-TERM", process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
        {
            await kill.WaitForExitAsync();
        }
        var (exitCode, stdout, _) = await RunToExit(process);
        Assert.Equal(0, exitCode);
        Assert.Contains("Stopping proc1: process exit; the actor system terminates without leaving the cluster", stdout, StringComparison.Ordinal);
        Assert.Contains("Actor system of proc1 terminated", stdout, StringComparison.Ordinal);
    }

    private static async Task<HttpClient> WaitUntilReady(Process process, int port)
    {
        var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}") };
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        while (DateTime.UtcNow < deadline && !process.HasExited)
        {
            try
            {
                var ready = await http.GetAsync("/readyz");
                if (ready.IsSuccessStatusCode)
                {
                    return http;
                }
            }
            catch (HttpRequestException)
            {
                // not listening yet
            }
            await process.WaitForExitAsync().WaitAsync(TimeSpan.FromMilliseconds(100)).ContinueWith(_ => { }, TaskScheduler.Default);
        }
        http.Dispose();
        throw new InvalidOperationException($"node on port {port} did not become ready");
    }

    [Fact]
    public async Task Every_acknowledged_write_survives_a_sigkill_under_load()
    {
        var port = FreeTcpPort.Next();
        var acknowledged = new System.Collections.Concurrent.ConcurrentDictionary<string, string>();
        using (var process = Start("--set", $"akkakv.http.port={port}", "--set", "akkakv.sharding.snapshot-every-entries=5"))
        {
            using var http = await WaitUntilReady(process, port);
            using var stop = new CancellationTokenSource();
            var writers = Enumerable.Range(0, 16).Select(writer => Task.Run(async () =>
            {
                for (var i = 0; !stop.IsCancellationRequested; i++)
                {
                    var key = $"w{writer}-k{i % 50}";
                    var value = $"{writer}:{i}";
                    try
                    {
                        var response = await http.PutAsync($"/v1/kv/{key}", new StringContent(value));
                        if (response.IsSuccessStatusCode)
                        {
                            acknowledged[key] = value; // per key, a writer's later acknowledged value supersedes
                        }
                    }
                    catch (HttpRequestException)
                    {
                        return; // the node died mid-request: that write's outcome is unknown
                    }
                }
            })).ToList();
            var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
            while (acknowledged.Count < 600 && DateTime.UtcNow < deadline)
            {
                await Task.WhenAny(writers).WaitAsync(TimeSpan.FromMilliseconds(50)).ContinueWith(_ => { }, TaskScheduler.Default);
            }
            process.Kill(); // SIGKILL: no shutdown, no flush
            await process.WaitForExitAsync();
            await stop.CancelAsync();
            await Task.WhenAll(writers);
        }
        Assert.True(acknowledged.Count >= 600, $"only {acknowledged.Count} keys were acknowledged before the kill");

        var restartedPort = FreeTcpPort.Next();
        using var restarted = Start("--set", $"akkakv.http.port={restartedPort}");
        using var check = await WaitUntilReady(restarted, restartedPort);
        var lost = new List<string>();
        foreach (var (key, value) in acknowledged)
        {
            var response = await check.GetAsync($"/v1/kv/{key}");
            var stored = response.IsSuccessStatusCode ? await response.Content.ReadAsStringAsync() : "<absent>";
            var (writer, sequence) = (value.Split(':')[0], int.Parse(value.Split(':')[1], System.Globalization.CultureInfo.InvariantCulture));
            // The stored value may be newer (written but unacknowledged when the node died), never older or missing.
            if (!stored.StartsWith(writer + ":", StringComparison.Ordinal) || int.Parse(stored.Split(':')[1], System.Globalization.CultureInfo.InvariantCulture) < sequence)
            {
                lost.Add($"{key}: acknowledged {value}, found {stored}");
            }
        }
        Assert.Empty(lost);
        using (var kill = Process.Start("kill", ["-TERM", restarted.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
        {
            await kill.WaitForExitAsync();
        }
        Assert.Equal(0, (await RunToExit(restarted)).ExitCode);
    }

    [Fact]
    public async Task A_data_directory_written_by_the_build_before_akka_is_read_and_written_on()
    {
        // testdata/README.md says how this directory was made (build cc8687f: WAL, two snapshots of one shard).
        await using (var archive = File.OpenRead(Path.Combine(AppContext.BaseDirectory, "testdata", "datadir-cc8687f.tar.gz")))
        await using (var unzipped = new System.IO.Compression.GZipStream(archive, System.IO.Compression.CompressionMode.Decompress))
        {
            await System.Formats.Tar.TarFile.ExtractToDirectoryAsync(unzipped, _directory, overwriteFiles: false);
        }
        var port = FreeTcpPort.Next();
        using var process = Start("--set", $"akkakv.http.port={port}", "--set", "akkakv.node.name=before");
        using (var http = await WaitUntilReady(process, port))
        {
            for (var i = 1; i <= 60; i++)
            {
                var response = await http.GetAsync($"/v1/kv/key-{i}");
                if (i <= 10)
                {
                    Assert.Equal(System.Net.HttpStatusCode.NotFound, response.StatusCode); // deleted before the upgrade
                }
                else
                {
                    Assert.Equal($"value-{i}", await response.Content.ReadAsStringAsync());
                }
            }
            Assert.Equal("snap-12", await http.GetStringAsync("/v1/kv/hot")); // restored from its snapshot plus the log after it
            Assert.True((await http.PutAsync("/v1/kv/after", new StringContent("upgrade"))).IsSuccessStatusCode);
            Assert.Equal("upgrade", await http.GetStringAsync("/v1/kv/after"));
        }
        using (var kill = Process.Start("kill", ["-TERM", process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
        {
            await kill.WaitForExitAsync();
        }
        Assert.Equal(0, (await RunToExit(process)).ExitCode);
    }

    [Theory]
    [InlineData(2, "invalid setting: akkakv.http.port = '0' (--set #2): must be between 1 and 65535", "--set", "akkakv.http.port=0")]
    [InlineData(2, "unknown argument '--frobnicate'", "--frobnicate")]
    [InlineData(2, "Configuration file 'nope.conf' does not exist", "--config", "nope.conf")]
    [InlineData(3, "data directory '/proc/akkakv' is not writable", "--set", "akkakv.node.data-dir=/proc/akkakv")]
    [InlineData(2, "invalid setting: akkakv.cluster: seed-nodes entry 'nowhere' is not a host:port address (such as 10.0.0.1:2551)", "--set", "akkakv.cluster.seed-nodes.0=nowhere")]
    [InlineData(2, "invalid setting: akkakv.cluster.split-brain-resolver.active-strategy = 'keep-everyone' (--set #2): must be keep-majority, static-quorum, keep-oldest or down-all", "--set", "akkakv.cluster.split-brain-resolver.active-strategy=keep-everyone")]
    public async Task A_bad_start_prints_one_line_and_exits_non_zero(int expectedExit, string expectedLine, params string[] args)
    {
        using var process = Start(args);
        var (exitCode, _, stderr) = await RunToExit(process);
        Assert.Equal(expectedExit, exitCode);
        Assert.Contains("akkakv-node: " + expectedLine, stderr, StringComparison.Ordinal);
        Assert.Single(stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
    }

    [Fact]
    public async Task A_port_in_use_is_one_clear_line_and_exit_three()
    {
        using var occupied = new TcpListener(IPAddress.Loopback, 0);
        occupied.Start();
        var port = ((IPEndPoint)occupied.LocalEndpoint).Port;
        using var process = Start("--set", $"akkakv.http.port={port}");
        var (exitCode, _, stderr) = await RunToExit(process);
        Assert.Equal(3, exitCode);
        Assert.Contains($"akkakv-node: cannot listen: Failed to bind to address http://127.0.0.1:{port}: address already in use", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_peer_port_in_use_is_one_clear_line_and_exit_three()
    {
        using var occupied = new TcpListener(IPAddress.Loopback, 0);
        occupied.Start();
        var port = ((IPEndPoint)occupied.LocalEndpoint).Port;
        using var process = Start("--set", $"akkakv.http.port={FreeTcpPort.Next()}", "--set", $"akkakv.remote.port={port}");
        var (exitCode, _, stderr) = await RunToExit(process);
        Assert.Equal(3, exitCode);
        Assert.Contains($"akkakv-node: cannot listen: cannot listen for peers on 127.0.0.1:{port} (akkakv.remote): Address already in use", stderr, StringComparison.Ordinal);
        Assert.Single(stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
    }

    [Fact]
    public async Task A_damaged_write_ahead_log_stops_the_start_naming_file_and_offset()
    {
        var wal = Directory.CreateDirectory(Path.Combine(_directory, "data", "wal"));
        await File.WriteAllTextAsync(Path.Combine(wal.FullName, "00000000000000000000.wal"), "not a log segment at all");
        await File.WriteAllBytesAsync(Path.Combine(wal.FullName, "00000000000000000001.wal"), []);
        using var process = Start("--set", $"akkakv.http.port={FreeTcpPort.Next()}");
        var (exitCode, _, stderr) = await RunToExit(process);
        Assert.Equal(4, exitCode);
        Assert.Contains("akkakv-node: write-ahead log corrupt in 00000000000000000000.wal at offset 0: not a write-ahead log segment", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_malformed_config_file_names_file_line_and_column()
    {
        await File.WriteAllTextAsync(Path.Combine(_directory, "bad.conf"), "akkakv {\n  http { port = \"8080 }\n}\n");
        using var process = Start("--config", "bad.conf");
        var (exitCode, _, stderr) = await RunToExit(process);
        Assert.Equal(2, exitCode);
        Assert.Contains("akkakv-node: invalid configuration file: bad.conf:2:17: unterminated quoted string", stderr, StringComparison.Ordinal);
    }
}
