
namespace AkkaKv.Cluster;

/// <summary>
/// Who is where, readable from any thread: each node's newest live member (name, address) as this node's
/// <see cref="ClusterActor"/> last saw it. The transport resolves Raft peers through it, and routing resolves the
/// node of a replica to its address. Updated by the cluster actor on every change of its table.
/// </summary>
public sealed class MemberDirectory
{
    private volatile IReadOnlyDictionary<NodeId, Member> _members = new Dictionary<NodeId, Member>();

    /// <summary>The newest incarnation of every node that is not Down or Removed.</summary>
    public IReadOnlyDictionary<NodeId, Member> Members => _members;

    /// <summary>The peer address of <paramref name="node"/>, or null when it is not a live member.</summary>
    public string? AddressOf(NodeId node) => _members.TryGetValue(node, out var member) ? member.Address : null;

    /// <summary>The member named <paramref name="name"/>, or null.</summary>
    public Member? Named(string name) => _members.Values.FirstOrDefault(member => string.Equals(member.Name, name, StringComparison.Ordinal));

    internal void Update(MembershipState state) =>
        _members = state.Members.Values
            .Where(member => member.Status is not (MemberStatus.Down or MemberStatus.Removed))
            .GroupBy(member => member.Node)
            .ToDictionary(group => group.Key, group => group.MaxBy(member => member.Incarnation)!);
}
