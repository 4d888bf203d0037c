namespace AkkaKv.Client;

/// <summary>A key and its version, as listed by a scan.</summary>
public sealed record KeyVersion(string Key, ulong Version);
