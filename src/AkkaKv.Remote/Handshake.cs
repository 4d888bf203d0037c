namespace AkkaKv.Remote;

/// <summary>
/// Who is on the other end of a connection: its cluster, node id, incarnation (a restarted node is a new member)
/// and the address it listens on. Both sides send one before anything else; a mismatch is refused.
/// </summary>
public sealed record Handshake(string Cluster, NodeId Node, ulong Incarnation, string Address, ushort ProtocolVersion = HandshakeCodec.ProtocolVersion);
