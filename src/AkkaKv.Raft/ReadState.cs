namespace AkkaKv.Raft;

/// <summary>
/// A confirmed read (ReadIndex, thesis §6.4): once the replica has applied <paramref name="Index"/>, the read
/// <paramref name="RequestId"/> may be answered from its state machine and is linearizable.
/// </summary>
public readonly record struct ReadState(ulong RequestId, LogIndex Index);
