namespace AkkaKv.Gateway;

/// <summary><c>GET /v1/node</c>: this node's name, shards (and how many it leads) and totals.</summary>
public sealed record NodeStatusDocument(string Node, int Shards, int LeaderShards, long Keys, ulong AppliedEntries, int PendingWrites);
