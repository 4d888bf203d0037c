using System.Globalization;
using AkkaKv.Actors;

namespace AkkaKv.Remote;

/// <summary>
/// A reference to an actor on another node, as Akka's RemoteActorRef: telling it serializes the message and sends it
/// over the node's connection to that node, where it is delivered to the actor at the path (with a reference back to
/// the sender, so replies find their way). It can be asked like a local actor.
/// </summary>
public sealed class RemoteActorRef : IActorRef, IHasActorSystem
{
    private readonly RemoteActorProvider _provider;

    internal RemoteActorRef(RemoteActorProvider provider, RemoteActorPath remotePath)
    {
        _provider = provider;
        RemotePath = remotePath;
        var colon = remotePath.Address.LastIndexOf(':');
        var address = new ActorAddress(remotePath.Cluster, remotePath.Address[..colon], int.Parse(remotePath.Address[(colon + 1)..], CultureInfo.InvariantCulture));
        Path = remotePath.Elements.Aggregate(ActorPath.Root(address), (path, element) => path.Child(element));
    }

    /// <summary>The actor's path on its node.</summary>
    public ActorPath Path { get; }

    /// <summary>The actor's cluster-wide address.</summary>
    public RemoteActorPath RemotePath { get; }

    /// <summary>The local system messages are sent from (asks are answered into it).</summary>
    public ActorSystem System => _provider.System;

    public void Tell(object message, IActorRef? sender = null) => _provider.Send(this, message, sender);

    public override string ToString() => RemotePath.ToString();
}
