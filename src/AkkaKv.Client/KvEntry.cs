namespace AkkaKv.Client;

/// <summary>A value read from AkkaKv with its version (use it with If-Match for compare-and-swap).</summary>
public sealed record KvEntry(string Key, ReadOnlyMemory<byte> Value, ulong Version);
