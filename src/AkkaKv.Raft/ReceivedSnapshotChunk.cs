namespace AkkaKv.Raft;

/// <summary>A chunk of an incoming snapshot for the host to store; chunks of one snapshot arrive in offset order.</summary>
/// <param name="Snapshot">The snapshot the chunk belongs to.</param>
/// <param name="Offset">Where the chunk starts; 0 starts (or restarts) the snapshot.</param>
/// <param name="Data">The chunk.</param>
public readonly record struct ReceivedSnapshotChunk(RaftSnapshotMeta Snapshot, long Offset, ReadOnlyMemory<byte> Data);
