using AkkaKv.Actors;

namespace AkkaKv.Sharding.Placement;

/// <summary>The actor of the placement coordinator: a thin shell over <see cref="PlacementCoordinator"/>.</summary>
public sealed class PlacementCoordinatorActor : Actor
{
    private readonly PlacementCoordinator _coordinator;

    private PlacementCoordinatorActor(ShardMap initial, PlacementCoordinatorOptions options, IPlacementExecutor executor, PlacementStore? store) =>
        _coordinator = new PlacementCoordinator(initial, options, executor, store, new ActorShell(Self, Timers, Context));

    /// <summary>
    /// A coordinator starting from <paramref name="initial"/>; with a <paramref name="store"/>, from the stored
    /// configuration instead when there is one (<paramref name="initial"/> then only starts a new cluster).
    /// </summary>
    public static Props Props(ShardMap initial, PlacementCoordinatorOptions options, IPlacementExecutor executor, PlacementStore? store = null)
    {
        ArgumentNullException.ThrowIfNull(initial);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(executor);
        return Actors.Props.Create(() => new PlacementCoordinatorActor(initial, options, executor, store));
    }

    protected override void PreStart() => _coordinator.Start();

    /// <summary>A failed coordinator is not restarted in place (its store remembers the last version it saw): it stops, and its parent starts a new one.</summary>
    protected override void PostRestart(Exception cause)
    {
        Context.System.EventStream.Publish(new PlacementCoordinatorStopped($"it failed: {cause.Message}"));
        Context.Stop(Self);
    }

    protected override void Receive(object message)
    {
        if (message is GetPlacement)
        {
            Sender.Tell(_coordinator.History);
        }
        else if (!_coordinator.Handle(message))
        {
            Unhandled(message);
        }
    }
}
