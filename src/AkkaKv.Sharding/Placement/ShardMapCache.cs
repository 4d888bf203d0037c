namespace AkkaKv.Sharding.Placement;

/// <summary>
/// A node's view of the current configuration, readable from any thread (the routing region reads it on every
/// request): the newest <see cref="ShardMap"/> a coordinator published, and which node runs that coordinator.
/// Configurations only move forward: an older one arriving late is ignored.
/// </summary>
public sealed class ShardMapCache
{
    private volatile Snapshot? _current;

    /// <summary>The newest configuration seen, or null before the first.</summary>
    public ShardMap? Current => _current?.Map;

    /// <summary>The node whose coordinator published <see cref="Current"/>.</summary>
    public NodeId Coordinator => _current?.Coordinator ?? NodeId.None;

    /// <summary>Takes <paramref name="map"/> unless a newer configuration is known; true when taken.</summary>
    public bool Offer(ShardMap map, NodeId coordinator)
    {
        ArgumentNullException.ThrowIfNull(map);
        var current = _current;
        if (current is not null && (map.Number < current.Map.Number || (map.Number == current.Map.Number && map.Equals(current.Map) && coordinator == current.Coordinator)))
        {
            return false;
        }
        _current = new Snapshot(map, coordinator);
        return true;
    }

    private sealed record Snapshot(ShardMap Map, NodeId Coordinator);
}
