using Akka.Actor;
using AkkaKv.Sharding.Placement;

namespace AkkaKv.Sharding.Hosting;

/// <summary>
/// The Akka.NET actor of the placement coordinator: a thin shell over <see cref="PlacementCoordinator"/>. A failed
/// coordinator is not restarted in place (its store remembers the last configuration it saw): it publishes
/// <see cref="PlacementCoordinatorStopped"/> and stops, and its host starts a new one.
/// </summary>
public sealed class PlacementCoordinatorHost : UntypedActor, IWithTimers
{
    private readonly ShardMap _initial;
    private readonly PlacementCoordinatorOptions _options;
    private readonly IPlacementExecutor _executor;
    private readonly PlacementStore? _store;
    private readonly TimeProvider _time;
    private PlacementCoordinator? _coordinator;

    /// <summary>Used by Akka.NET through <see cref="Props"/> (its activator needs a public constructor).</summary>
    public PlacementCoordinatorHost(ShardMap initial, PlacementCoordinatorOptions options, IPlacementExecutor executor, PlacementStore? store, TimeProvider time) =>
        (_initial, _options, _executor, _store, _time) = (initial, options, executor, store, time);

    /// <summary>Set by Akka.NET before <see cref="PreStart"/>.</summary>
    public ITimerScheduler Timers { get; set; } = null!;

    /// <summary>A coordinator starting from <paramref name="initial"/>, or from what <paramref name="store"/> holds.</summary>
    public static Props Props(ShardMap initial, PlacementCoordinatorOptions options, IPlacementExecutor executor, PlacementStore? store, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(initial);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(executor);
        ArgumentNullException.ThrowIfNull(time);
        return Akka.Actor.Props.Create(() => new PlacementCoordinatorHost(initial, options, executor, store, time));
    }

    protected override void PreStart()
    {
        _coordinator = new PlacementCoordinator(_initial, _options, _executor, _store, new AkkaActorShell(Self, Timers, Context, _time));
        _coordinator.Start();
    }

    protected override void PostRestart(Exception reason)
    {
        Context.System.EventStream.Publish(new PlacementCoordinatorStopped($"it failed: {reason.Message}"));
        Context.Stop(Self); // and no PreStart: this instance never coordinates
    }

    protected override void OnReceive(object message)
    {
        if (_coordinator is not { } coordinator)
        {
            return; // a failed instance on its way out
        }
        if (message is GetPlacement)
        {
            Sender.Tell(coordinator.History);
        }
        else if (!coordinator.Handle(message))
        {
            Unhandled(message);
        }
    }
}
