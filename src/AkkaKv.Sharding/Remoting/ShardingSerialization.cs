using System.Text;

namespace AkkaKv.Sharding.Remoting;

/// <summary>
/// The Akka.NET serialization settings of everything the sharding layer sends between nodes: the serializers and a
/// binding for each message type (Raft batches, batched shard requests and replies, and every shard protocol message by its concrete type, so a message
/// without a wire form is refused rather than sent by a reflection-based fallback).
/// </summary>
public static class ShardingSerialization
{
    /// <summary>The <c>akka.actor.serializers</c> and <c>serialization-bindings</c> entries, as HOCON.</summary>
    public static string Hocon { get; } = Build();

    private static string Build()
    {
        var text = new StringBuilder();
        text.AppendLine("akka.actor.serializers {");
        text.AppendLine($"  akkakv-shard = \"{Qualified(typeof(ShardProtocolAkkaSerializer))}\"");
        text.AppendLine($"  akkakv-raft = \"{Qualified(typeof(RaftBatchSerializer))}\"");
        text.AppendLine($"  akkakv-shard-traffic = \"{Qualified(typeof(ShardTrafficSerializer))}\"");
        text.AppendLine("}");
        text.AppendLine("akka.actor.serialization-bindings {");
        text.AppendLine($"  \"{Qualified(typeof(RaftBatch))}\" = akkakv-raft");
        text.AppendLine($"  \"{Qualified(typeof(ShardRequestBatch))}\" = akkakv-shard-traffic");
        text.AppendLine($"  \"{Qualified(typeof(ShardReplyBatch))}\" = akkakv-shard-traffic");
        foreach (var type in ShardProtocolAkkaSerializer.Registry.MessageTypes.OrderBy(type => type.FullName, StringComparer.Ordinal))
        {
            text.AppendLine($"  \"{Qualified(type)}\" = akkakv-shard");
        }
        text.AppendLine("}");
        return text.ToString();
    }

    private static string Qualified(Type type) => $"{type.FullName}, {type.Assembly.GetName().Name}";
}
