using System.Collections.Concurrent;
using Akka.Actor;

namespace AkkaKv.Sharding.Hosting;

/// <summary>
/// The AkkaKv nodes of the cluster as membership last reported them — each node's name and the Akka.NET address of
/// its running incarnation — kept by <see cref="ClusterMembershipBridge"/> and read from any thread: by routing (to
/// resolve another node's replicas), by placement (to reach another node's host) and by the admin API (names).
/// </summary>
public sealed class PeerDirectory
{
    private readonly ConcurrentDictionary<NodeId, Peer> _peers = new();

    /// <summary>A node of the cluster: its id, its name and where it runs now.</summary>
    public sealed record Peer(NodeId Node, string Name, Address Address);

    /// <summary>The nodes known now.</summary>
    public IReadOnlyCollection<Peer> Peers => [.. _peers.Values];

    /// <summary>Records where <paramref name="node"/> runs (null: it is gone).</summary>
    public void Set(NodeId node, string name, Address? address)
    {
        ArgumentNullException.ThrowIfNull(name);
        if (address is null)
        {
            _peers.TryRemove(node, out _);
        }
        else
        {
            _peers[node] = new Peer(node, name, address);
        }
    }

    /// <summary>Where <paramref name="node"/> runs, or null when it is not a member now.</summary>
    public Address? AddressOf(NodeId node) => _peers.TryGetValue(node, out var peer) ? peer.Address : null;

    /// <summary>The node's name, or its id as text when it is not a member now.</summary>
    public string NameOf(NodeId node) => _peers.TryGetValue(node, out var peer) ? peer.Name : node.ToString();

    /// <summary>The member named <paramref name="name"/>, or null.</summary>
    public Peer? Named(string name) => _peers.Values.FirstOrDefault(peer => string.Equals(peer.Name, name, StringComparison.Ordinal));
}
