using Microsoft.Extensions.Logging;

namespace AkkaKv.Cluster;

internal static partial class ClusterLogMessages
{
    [LoggerMessage(Level = LogLevel.Warning, Message = "{Node}: split-brain resolver downs [{Down}]: {Reason}")]
    public static partial void SplitBrainDecision(this ILogger logger, string node, string reason, IReadOnlyList<NodeId> down);

    [LoggerMessage(Level = LogLevel.Information, Message = "{Self} joining through seeds [{Seeds}]")]
    public static partial void Joining(this ILogger logger, Member self, IReadOnlyList<string> seeds);

    [LoggerMessage(Level = LogLevel.Information, Message = "{Self} joined the cluster through {Seed}")]
    public static partial void Joined(this ILogger logger, Member self, string seed);

    [LoggerMessage(Level = LogLevel.Information, Message = "{Self} formed a new cluster as the first seed: no other seed is in a cluster (waited {WaitedMs} ms)")]
    public static partial void FormedCluster(this ILogger logger, Member self, long waitedMs);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Self} was downed by the cluster; rejoining as a new incarnation in {Delay}")]
    public static partial void DownedRejoining(this ILogger logger, Member self, TimeSpan delay);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Self} was downed by the cluster; it stays out until its process restarts")]
    public static partial void DownedStayingOut(this ILogger logger, Member self);

    [LoggerMessage(Level = LogLevel.Information, Message = "{Node}: member up: {Member}")]
    public static partial void MemberUp(this ILogger logger, string node, Member member);

    [LoggerMessage(Level = LogLevel.Information, Message = "{Node}: member removed: {Member}")]
    public static partial void MemberRemoved(this ILogger logger, string node, Member member);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Node}: {Subject} is unreachable")]
    public static partial void Unreachable(this ILogger logger, string node, Member subject);

    [LoggerMessage(Level = LogLevel.Information, Message = "{Node}: {Subject} is reachable again")]
    public static partial void Reachable(this ILogger logger, string node, Member subject);

    [LoggerMessage(Level = LogLevel.Information, Message = "{Node}: cluster leader is now {Leader}")]
    public static partial void LeaderChanged(this ILogger logger, string node, Member leader);

    [LoggerMessage(Level = LogLevel.Information, Message = "{Self} left the cluster")]
    public static partial void Left(this ILogger logger, Member self);
}
