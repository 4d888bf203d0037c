using Microsoft.Extensions.Logging;

namespace AkkaKv.Cluster;

internal static partial class ClusterLogMessages
{
    [LoggerMessage(Level = LogLevel.Warning, Message = "{Node}: split-brain resolver downs [{Down}]: {Reason}")]
    public static partial void SplitBrainDecision(this ILogger logger, NodeId node, string reason, string down);
}
