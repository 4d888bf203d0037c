namespace AkkaKv.Gateway;

/// <summary>
/// <c>GET /v1/node</c>: this node's name, shards (how many it leads, how many are quiescent — idle groups that neither
/// heartbeat nor time out) and totals.
/// </summary>
public sealed record NodeStatusDocument(string Node, int Shards, int LeaderShards, long Keys, ulong AppliedEntries, int PendingWrites)
{
    public int QuiescentShards { get; init; }
}
