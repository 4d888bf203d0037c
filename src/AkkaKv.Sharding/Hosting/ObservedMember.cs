namespace AkkaKv.Sharding.Hosting;

/// <summary>
/// One incarnation of a cluster member as membership reports it: the AkkaKv node it runs (from its
/// <c>akkakv-node:NAME</c> role), its remote address, its incarnation (Akka.NET's unique address id: a restart is a
/// new one), its phase and whether this node's failure detector reaches it.
/// </summary>
public sealed record ObservedMember(NodeId Node, string Address, long Incarnation, MemberPhase Phase, bool Reachable);
