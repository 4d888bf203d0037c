namespace AkkaKv.Store;

/// <summary>A stored value and its version (the log index of the write that produced it).</summary>
public sealed record KvValue(ReadOnlyMemory<byte> Value, LogIndex Version);
