namespace AkkaKv.Sharding.Placement;

/// <summary>The placement group refused or did not answer a read or write of the coordinator's state.</summary>
public sealed class PlacementStoreException(string message) : Exception(message);
