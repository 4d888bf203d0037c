namespace AkkaKv.Gateway;

/// <summary><c>GET /v1/node</c>: this node's name, shards and totals.</summary>
public sealed record NodeStatusDocument(string Node, int Shards, long Keys, ulong AppliedEntries, int PendingWrites);
