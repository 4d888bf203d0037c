using System.Collections.Concurrent;

namespace AkkaKv.Sharding.Remoting;

/// <summary>The serializers of the message types that may travel to remote actors, by type and by id.</summary>
public sealed class RemoteSerializers
{
    private readonly ConcurrentDictionary<Type, IRemoteSerializer> _byType = new();
    private readonly ConcurrentDictionary<ushort, IRemoteSerializer> _byId = new();

    /// <summary>Registers <paramref name="serializer"/>; its id and type must be new.</summary>
    public RemoteSerializers Add(IRemoteSerializer serializer)
    {
        ArgumentNullException.ThrowIfNull(serializer);
        if (!_byId.TryAdd(serializer.Id, serializer))
        {
            throw new ArgumentException($"serializer id {serializer.Id} is already taken by {_byId[serializer.Id].MessageType.Name}", nameof(serializer));
        }
        if (!_byType.TryAdd(serializer.MessageType, serializer))
        {
            _byId.TryRemove(serializer.Id, out _);
            throw new ArgumentException($"{serializer.MessageType.Name} already has a serializer", nameof(serializer));
        }
        return this;
    }

    /// <summary>Every message type registered.</summary>
    public IEnumerable<Type> MessageTypes => _byType.Keys;

    public bool TryGet(Type type, out IRemoteSerializer serializer) => _byType.TryGetValue(type, out serializer!);

    public bool TryGet(ushort id, out IRemoteSerializer serializer) => _byId.TryGetValue(id, out serializer!);
}
