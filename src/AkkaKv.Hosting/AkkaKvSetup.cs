using AkkaKv.Actors;

namespace AkkaKv.Hosting;

/// <summary>What <see cref="HostingExtensions.AddAkkaKv"/> starts: actors created once the system is up.</summary>
public sealed class AkkaKvSetup
{
    internal List<Action<ActorSystem, ActorRegistry, IServiceProvider>> Starters { get; } = [];

    /// <summary>Creates actors when the system starts, and registers them for injection.</summary>
    public AkkaKvSetup WithActors(Action<ActorSystem, ActorRegistry, IServiceProvider> starter)
    {
        ArgumentNullException.ThrowIfNull(starter);
        Starters.Add(starter);
        return this;
    }

    /// <inheritdoc cref="WithActors(Action{ActorSystem, ActorRegistry, IServiceProvider})"/>
    public AkkaKvSetup WithActors(Action<ActorSystem, ActorRegistry> starter)
    {
        ArgumentNullException.ThrowIfNull(starter);
        Starters.Add((system, registry, _) => starter(system, registry));
        return this;
    }
}
