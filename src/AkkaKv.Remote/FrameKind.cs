namespace AkkaKv.Remote;

/// <summary>What a frame carries. Never reuse a number.</summary>
public enum FrameKind : byte
{
    /// <summary>The first frame on a connection, from the side that opened it (<see cref="HandshakeCodec"/>).</summary>
    Handshake = 1,

    /// <summary>The accepting side's answer: its own handshake.</summary>
    HandshakeAccepted = 2,

    /// <summary>The accepting side refuses (the payload is a UTF-8 reason); the connection then closes.</summary>
    HandshakeRefused = 3,

    /// <summary>A Raft message for a shard's replica (<see cref="RaftMessageCodec"/>).</summary>
    Raft = 4,

    /// <summary>A cluster membership message (gossip, heartbeats, joins), decoded by the cluster layer.</summary>
    Cluster = 5,

    /// <summary>The Raft heartbeats and heartbeat answers of many shards between the same two nodes, in one frame (<see cref="HeartbeatBatchCodec"/>).</summary>
    RaftHeartbeats = 6,

    /// <summary>A message for an actor addressed by path (<see cref="ActorMessageCodec"/>).</summary>
    ActorMessage = 7,
}
