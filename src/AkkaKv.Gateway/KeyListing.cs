namespace AkkaKv.Gateway;

/// <summary>One entry of a key listing: <c>{"key":"…","version":42}</c>.</summary>
public sealed record KeyListing(string Key, ulong Version);
