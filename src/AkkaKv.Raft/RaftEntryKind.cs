namespace AkkaKv.Raft;

/// <summary>What a log entry carries.</summary>
public enum RaftEntryKind : byte
{
    /// <summary>A client command for the state machine; empty data is the leader's no-op (Raft §8).</summary>
    Normal = 0,

    /// <summary>A membership change, encoded by <see cref="ConfChange.Encode"/>.</summary>
    ConfChange = 1,
}
