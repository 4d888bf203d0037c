using System.Net.Http.Json;
using System.Text.Json;

namespace AkkaKv.MultiNode.Tests.Harness;

/// <summary>
/// One node of a spec: its name, ports, settings, data directory and log file, reached over its HTTP API whether it
/// runs in this process or as an <c>akkakv-node</c> process. Stopping keeps the data directory, so a node can be
/// started again as a new incarnation of the same node.
/// </summary>
public abstract class NodeHandle(string name, int httpPort, int remotePort, IReadOnlyList<string> settings, string logPath) : IAsyncDisposable
{
    internal static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public string Name { get; } = name;

    public int HttpPort { get; } = httpPort;

    public int RemotePort { get; } = remotePort;

    /// <summary>The node's peer address, as members list it.</summary>
    public string Address => $"127.0.0.1:{RemotePort}";

    /// <summary>The node's log (kept when a spec fails).</summary>
    public string LogPath { get; } = logPath;

    /// <summary>The node's <c>--set</c> settings.</summary>
    public IReadOnlyList<string> Settings { get; } = settings;

    public HttpClient Http { get; } = new() { BaseAddress = new Uri($"http://127.0.0.1:{httpPort}"), Timeout = TimeSpan.FromSeconds(5) };

    public abstract bool IsRunning { get; }

    /// <summary>Starts the node and returns once it answers <c>/healthz</c>.</summary>
    public abstract Task StartAsync();

    /// <summary>Stops the node gracefully (SIGTERM for a process).</summary>
    public abstract Task StopAsync();

    /// <summary>Stops the node abruptly (SIGKILL for a process).</summary>
    public abstract Task KillAsync();

    /// <summary>The node's view of the cluster, or null when it does not answer.</summary>
    public async Task<ClusterView?> ViewAsync()
    {
        try
        {
            return await Http.GetFromJsonAsync<ClusterView>("/v1/cluster", Json);
        }
        catch (Exception error) when (error is HttpRequestException or TaskCanceledException or JsonException)
        {
            return null;
        }
    }

    /// <summary>The node's <c>GET /v1/shards</c>, or null when it does not answer or knows no configuration yet.</summary>
    public async Task<PlacementView?> PlacementAsync()
    {
        try
        {
            using var response = await Http.GetAsync("/v1/shards");
            return response.IsSuccessStatusCode ? await response.Content.ReadFromJsonAsync<PlacementView>(Json) : null;
        }
        catch (Exception error) when (error is HttpRequestException or TaskCanceledException or JsonException)
        {
            return null;
        }
    }

    /// <summary>Test mode: applies a fault to this node's link to <paramref name="peer"/> (its sends and receives).</summary>
    public async Task SetFaultAsync(string peer, string mode, string direction = "both", long delayMs = 0, long bytesPerSecond = 0)
    {
        using var response = await Http.PutAsJsonAsync($"/v1/test/faults/{peer}", new { mode, direction, delayMs, bytesPerSecond }, Json);
        response.EnsureSuccessStatusCode();
    }

    /// <summary>Test mode: removes every fault this node injects.</summary>
    public async Task ClearFaultsAsync()
    {
        using var response = await Http.DeleteAsync("/v1/test/faults");
        response.EnsureSuccessStatusCode();
    }

    /// <summary>Polls <c>/healthz</c> until it answers or <paramref name="timeout"/> passes.</summary>
    protected async Task WaitUntilHealthyAsync(TimeSpan timeout, Func<bool> stillStarting)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline && stillStarting())
        {
            try
            {
                using var response = await Http.GetAsync("/healthz");
                if (response.IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (Exception error) when (error is HttpRequestException or TaskCanceledException)
            {
                // not listening yet
            }
            await Task.Delay(50); // allowed: polling interval while the node starts
        }
        throw new TimeoutException($"{Name} did not become healthy within {timeout.TotalSeconds:0} s (log: {LogPath})");
    }

    public virtual async ValueTask DisposeAsync()
    {
        if (IsRunning)
        {
            await KillAsync();
        }
        Http.Dispose();
        GC.SuppressFinalize(this);
    }
}
