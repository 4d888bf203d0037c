using System.Collections.Concurrent;
using AkkaKv.Actors;

namespace AkkaKv.Hosting;

/// <summary>
/// Top-level actors by key type, so services (HTTP endpoints, hosted services) can reach them through dependency
/// injection, as Akka.Hosting's registry does: <c>registry.Register&lt;GatewayKey&gt;(gateway)</c>.
/// </summary>
public sealed class ActorRegistry
{
    private readonly ConcurrentDictionary<Type, IActorRef> _actors = new();

    /// <summary>Registers <paramref name="actor"/> under <typeparamref name="TKey"/>; a key can be registered once.</summary>
    public void Register<TKey>(IActorRef actor)
    {
        ArgumentNullException.ThrowIfNull(actor);
        if (!_actors.TryAdd(typeof(TKey), actor))
        {
            throw new InvalidOperationException($"An actor is already registered under {typeof(TKey).Name}.");
        }
    }

    /// <summary>The actor registered under <typeparamref name="TKey"/>.</summary>
    public IActorRef Get<TKey>() =>
        _actors.TryGetValue(typeof(TKey), out var actor)
            ? actor
            : throw new KeyNotFoundException($"No actor is registered under {typeof(TKey).Name}.");

    /// <summary>The actor registered under <typeparamref name="TKey"/>, if any.</summary>
    public bool TryGet<TKey>(out IActorRef actor) => _actors.TryGetValue(typeof(TKey), out actor!);
}
