using System.Collections.Immutable;

namespace AkkaKv.Sharding.Placement;

/// <summary>
/// The coordinator's record of configurations: the current <see cref="ShardMap"/> and the ones before it, oldest
/// dropped beyond <see cref="Retain"/>, so <c>GET /v1/config/{n}</c> can answer for recent history and say plainly
/// when a configuration is too old. Steps are applied only to the configuration they were planned on (optimistic
/// concurrency): a plan made on a stale map is refused, not misapplied. Pure.
/// </summary>
public sealed record ShardMapHistory(ImmutableList<ShardMap> Maps, int Retain)
{
    /// <summary>A history that starts at <paramref name="first"/>.</summary>
    public static ShardMapHistory Start(ShardMap first, int retain = 1_000)
    {
        ArgumentNullException.ThrowIfNull(first);
        ArgumentOutOfRangeException.ThrowIfLessThan(retain, 1);
        return new ShardMapHistory([first], retain);
    }

    public ShardMap Current => Maps[^1];

    /// <summary>Configuration number <paramref name="number"/>, or null when it is unknown or no longer kept.</summary>
    public ShardMap? Get(long number)
    {
        var offset = number - Maps[0].Number;
        return offset >= 0 && offset < Maps.Count ? Maps[(int)offset] : null;
    }

    /// <summary>
    /// Applies <paramref name="steps"/>, planned on configuration <paramref name="plannedOn"/>, one configuration
    /// each. Refused as a whole (returns false, history unchanged) when the current configuration has moved on or a
    /// step does not fit.
    /// </summary>
    public bool TryApply(long plannedOn, IReadOnlyList<PlacementStep> steps, out ShardMapHistory next, out string refusal)
    {
        ArgumentNullException.ThrowIfNull(steps);
        next = this;
        if (plannedOn != Current.Number)
        {
            refusal = $"planned on configuration {plannedOn}, the current one is {Current.Number}";
            return false;
        }
        var maps = Maps;
        var map = Current;
        try
        {
            foreach (var step in steps)
            {
                map = map.Apply(step);
                maps = maps.Add(map);
            }
        }
        catch (InvalidOperationException error)
        {
            refusal = error.Message;
            return false;
        }
        if (maps.Count > Retain)
        {
            maps = maps.RemoveRange(0, maps.Count - Retain);
        }
        next = this with { Maps = maps };
        refusal = "";
        return true;
    }

    /// <summary>The history with one more configuration, in which <paramref name="replicas"/> replaces its shard's entry.</summary>
    public ShardMapHistory Record(ShardReplicas replicas)
    {
        ArgumentNullException.ThrowIfNull(replicas);
        var map = Current with { Number = Current.Number + 1, Shards = Current.Shards.SetItem(replicas.Shard, replicas) };
        var maps = Maps.Add(map);
        return this with { Maps = maps.Count > Retain ? maps.RemoveRange(0, maps.Count - Retain) : maps };
    }
}
