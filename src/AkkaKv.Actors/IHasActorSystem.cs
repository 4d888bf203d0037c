namespace AkkaKv.Actors;

/// <summary>Implemented by references outside the hierarchy (such as test probes) that still belong to a system.</summary>
public interface IHasActorSystem
{
    /// <summary>The system the reference belongs to.</summary>
    ActorSystem System { get; }
}
