using AkkaKv.Sharding;

namespace AkkaKv.Simulation.Tests;

/// <summary>
/// Where a <see cref="SimClient"/> sends its requests: the nodes it can try, by index (node id − 1), and how a request
/// for a key reaches that node's replica of the key's shard.
/// </summary>
internal interface ISimTargets
{
    /// <summary>The nodes a client may try (indexes 0 … Count − 1).</summary>
    int Count { get; }

    /// <summary>True when node <paramref name="index"/> runs (a request to a crashed node is lost).</summary>
    bool IsUp(int index);

    /// <summary>Hands <paramref name="request"/> about <paramref name="key"/> to node <paramref name="index"/>'s replica of the key's shard.</summary>
    void Deliver(int index, string key, ShardRequest request, IReplyTo<ShardReply> replyTo);
}
