using AkkaKv.TestKit;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Logging;

namespace AkkaKv.Node.Tests;

/// <summary>A node running in this process on a free loopback port with its own data directory.</summary>
public sealed class NodeFixture : IAsyncLifetime
{
    private readonly string _directory = Directory.CreateTempSubdirectory("akkakv-http-").FullName;
    private WebApplication? _app;

    public HttpClient Http { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        var port = FreeTcpPort.Next();
        _app = NodeApplication.Build(new NodeArguments(null,
        [
            $"akkakv.http.port={port}",
            "akkakv.remote.port=0",
            $"akkakv.node.data-dir={Path.Combine(_directory, "data")}",
            "akkakv.http.max-value-size=64KiB",
            "akkakv.sharding.shard-count=8",
        ], false, false), logging => logging.ClearProviders());
        await _app.StartAsync();
        Http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}") };
        // Ready once the node has formed its cluster of one and every shard has a leader.
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        while (!(await Http.GetAsync("/readyz")).IsSuccessStatusCode)
        {
            Assert.True(DateTime.UtcNow < deadline, "the node did not become ready within 60 s");
            await Task.Delay(50); // allowed: polling readiness with a deadline
        }
    }

    public async Task DisposeAsync()
    {
        Http.Dispose();
        if (_app is not null)
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
        }
        Directory.Delete(_directory, recursive: true);
    }
}
