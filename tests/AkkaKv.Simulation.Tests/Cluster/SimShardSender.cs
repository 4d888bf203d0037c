using AkkaKv.Raft;
using AkkaKv.Sharding;
using AkkaKv.TestKit.Simulation;

namespace AkkaKv.Simulation.Tests.Cluster;

/// <summary>
/// Sends a request to a shard's leader the way the node's <see cref="ShardRegion"/> does — last leader seen first,
/// following <see cref="NotLeader"/> hints, trying the next node on a refusal, no replica or no answer — but through
/// <see cref="SimAsk"/>, so a run stays deterministic. A write whose attempt goes unanswered is not retried: its
/// outcome is unknown (<see cref="TimeoutException"/>), as with the region.
/// </summary>
internal sealed class SimShardSender(SimAsk ask, Func<IReadOnlyList<SimClusterNode>> nodes)
{
    private const int MaxAttempts = 6;
    private static readonly TimeSpan AttemptTimeout = TimeSpan.FromSeconds(1);
    private readonly Dictionary<ShardId, NodeId> _leaders = [];

    public async Task<ShardReply> SendAsync(ShardId shard, ShardRequest request)
    {
        var up = nodes().Where(node => node.IsUp).ToList();
        if (up.Count == 0)
        {
            return new ShardUnavailable("no node is up");
        }
        var target = _leaders.TryGetValue(shard, out var cached) && up.Any(node => node.Id == cached) ? cached : up[0].Id;
        ShardReply last = new ShardUnavailable($"no leader of {shard} found");
        for (var attempt = 0; attempt < MaxAttempts; attempt++)
        {
            var node = up.FirstOrDefault(candidate => candidate.Id == target);
            var replica = node?.ReplicaOf(shard);
            var reply = await ask.AskAsync<ShardReply>(replyTo =>
            {
                replica?.Ask(request, replyTo);
                return replica is not null;
            }, AttemptTimeout).ConfigureAwait(false);
            switch (reply)
            {
                case null when replica is not null && request is WriteRequest:
                    throw new TimeoutException($"{target} did not answer a write to {shard}: outcome unknown");
                case null:
                    last = new ShardUnavailable($"{target} has no replica of {shard} or did not answer");
                    target = Next(up, target);
                    break;
                case NotLeader notLeader:
                    _leaders.Remove(shard);
                    target = !notLeader.Leader.IsNone && notLeader.Leader != target && up.Any(candidate => candidate.Id == notLeader.Leader)
                        ? notLeader.Leader
                        : Next(up, target);
                    last = notLeader;
                    break;
                case ShardStatus status when status.Role != RaftRole.Leader:
                    target = !status.Leader.IsNone && status.Leader != target && up.Any(candidate => candidate.Id == status.Leader) ? status.Leader : Next(up, target);
                    last = new ShardUnavailable($"{status.Node} is not the leader of {shard}");
                    break;
                case ShardUnavailable unavailable:
                    last = unavailable;
                    target = Next(up, target);
                    break;
                case ShardReply answer:
                    _leaders[shard] = target;
                    return answer;
                default:
                    last = new ShardUnavailable($"unexpected reply {reply}");
                    target = Next(up, target);
                    break;
            }
        }
        return last;
    }

    private static NodeId Next(List<SimClusterNode> up, NodeId current)
    {
        var index = up.FindIndex(node => node.Id == current);
        return up[(index + 1) % up.Count].Id;
    }
}
