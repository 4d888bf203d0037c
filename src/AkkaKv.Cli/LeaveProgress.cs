using System.Globalization;
using System.Text.Json;
using AkkaKv.Client;

namespace AkkaKv.Cli;

/// <summary>
/// Follows a graceful leave: prints the member's replicas and leaderships still to move, and its status, whenever they
/// change, until it is no longer a member. When the node asked is the one leaving, it stops at the end: its going
/// away after the hand-off counts as done.
/// </summary>
internal static class LeaveProgress
{
    public static async Task<int> FollowAsync(AkkaKvClient client, string name, TimeSpan timeout, TextWriter stdout, TextWriter stderr, CancellationToken cancellationToken)
    {
        var deadline = DateTime.UtcNow + timeout;
        var started = DateTime.UtcNow;
        string? last = null;
        var handedOff = false;
        while (DateTime.UtcNow < deadline)
        {
            string? status;
            int replicas, leaderships;
            try
            {
                status = await MemberStatusAsync(client, name, cancellationToken);
                (replicas, leaderships) = await HeldAsync(client, name, cancellationToken);
            }
            catch (AkkaKvException error) when (error.StatusCode is null && handedOff)
            {
                await stdout.WriteLineAsync($"{name} has left the cluster and stopped");
                return ExitCodes.Success;
            }
            if (status is null)
            {
                await stdout.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"{name} has left the cluster ({(DateTime.UtcNow - started).TotalSeconds:F1} s)"));
                return ExitCodes.Success;
            }
            handedOff |= replicas == 0 || status is "Leaving" or "Exiting";
            var line = string.Create(CultureInfo.InvariantCulture, $"{name}: {status}, {replicas} replicas and {leaderships} leaderships to move");
            if (line != last)
            {
                await stdout.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"[{(DateTime.UtcNow - started).TotalSeconds,6:F1} s] {line}"));
                last = line;
            }
            await Task.Delay(TimeSpan.FromSeconds(1), cancellationToken);
        }
        await stderr.WriteLineAsync($"akkakv: {name} is still leaving after {timeout}: {last}; `akkakv shards list` shows what is left");
        return ExitCodes.Unavailable;
    }

    /// <summary>The member's status, or null when it is not a member (any more).</summary>
    private static async Task<string?> MemberStatusAsync(AkkaKvClient client, string name, CancellationToken cancellationToken)
    {
        using var cluster = await client.ClusterStatusAsync(cancellationToken);
        return cluster.RootElement.GetProperty("members").EnumerateArray()
            .Where(member => member.GetProperty("node").GetString() == name)
            .Select(member => member.GetProperty("status").GetString())
            .LastOrDefault(status => status is not ("Down" or "Removed"));
    }

    private static async Task<(int Replicas, int Leaderships)> HeldAsync(AkkaKvClient client, string name, CancellationToken cancellationToken)
    {
        using var shards = await client.ShardsAsync(cancellationToken);
        var all = shards.RootElement.GetProperty("shards").EnumerateArray().ToList();
        if (shards.RootElement.TryGetProperty("placement", out var placement) && placement.ValueKind == JsonValueKind.Object)
        {
            all.Add(placement);
        }
        var replicas = all.Count(shard => shard.GetProperty("replicas").EnumerateArray().Any(replica => replica.GetProperty("node").GetString() == name));
        var leaderships = all.Count(shard => shard.TryGetProperty("leader", out var leader) && leader.ValueKind == JsonValueKind.String && leader.GetString() == name);
        return (replicas, leaderships);
    }
}
