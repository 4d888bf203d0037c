using AkkaKv.Sharding.Placement;

namespace AkkaKv.Sharding.Hosting;

/// <summary>
/// How a node reacts to cluster membership, as a plain state machine fed the current members after each change
/// (<see cref="ClusterMembershipBridge"/> feeds it from Akka.Cluster's events): of several incarnations of one node
/// the newest counts (a restarted node's old incarnation is on its way out); Up members are Active, or Unreachable when
/// the failure detector says so; Leaving and Exiting members are Leaving; Down members are Unreachable until removed;
/// Joining members and removed ones are not placement's concern. The node bootstraps the groups once, when it is Up
/// and no other member has been seen: it formed the cluster (the replica manager still refuses a disk that belonged to
/// one).
/// </summary>
public sealed class MembershipReactions(NodeId self)
{
    private readonly Dictionary<NodeId, string> _addresses = [];
    private string _fingerprint = "";
    private bool _otherMemberSeen;
    private bool _bootstrapped;

    /// <summary>Reacts to the membership now being <paramref name="members"/>.</summary>
    public MembershipReaction Observe(IReadOnlyCollection<ObservedMember> members)
    {
        ArgumentNullException.ThrowIfNull(members);
        var current = new Dictionary<NodeId, ObservedMember>();
        foreach (var member in members)
        {
            if (member.Node != self)
            {
                _otherMemberSeen = true;
            }
            if (!current.TryGetValue(member.Node, out var known) || member.Incarnation != known.Incarnation && Newer(member, known))
            {
                current[member.Node] = member;
            }
        }

        var nodes = new List<PlacementNode>();
        foreach (var member in current.Values.OrderBy(member => member.Node.Value))
        {
            if (StateOf(member) is { } state)
            {
                nodes.Add(new PlacementNode(member.Node, state));
            }
        }

        var changes = new List<(NodeId, string?)>();
        foreach (var member in current.Values)
        {
            var address = member.Phase == MemberPhase.Removed ? null : member.Address;
            if (address is null ? _addresses.Remove(member.Node) : !_addresses.TryGetValue(member.Node, out var known) || known != address)
            {
                if (address is not null)
                {
                    _addresses[member.Node] = address;
                }
                changes.Add((member.Node, address));
            }
        }
        foreach (var gone in _addresses.Keys.Where(node => !current.ContainsKey(node)).ToList())
        {
            _addresses.Remove(gone);
            changes.Add((gone, null));
        }

        var fingerprint = string.Join(';', members.OrderBy(member => member.Node.Value).ThenBy(member => member.Incarnation)
            .Select(member => $"{member.Node.Value}/{member.Incarnation}/{member.Phase}/{member.Reachable}"));
        var wake = fingerprint != _fingerprint;
        _fingerprint = fingerprint;

        var bootstrap = !_bootstrapped && !_otherMemberSeen && current.TryGetValue(self, out var me) && me.Phase == MemberPhase.Up;
        _bootstrapped |= bootstrap;
        return new MembershipReaction(nodes, wake, changes, bootstrap);
    }

    /// <summary>The later incarnation: the one further along in life loses to a live one only if it is not newer.</summary>
    private static bool Newer(ObservedMember candidate, ObservedMember known) =>
        Rank(candidate.Phase) < Rank(known.Phase) || Rank(candidate.Phase) == Rank(known.Phase) && candidate.Incarnation > known.Incarnation;

    /// <summary>Live phases first: an old incarnation that is down or removed never hides the running one.</summary>
    private static int Rank(MemberPhase phase) => phase switch
    {
        MemberPhase.Up or MemberPhase.WeaklyUp => 0,
        MemberPhase.Joining => 1,
        MemberPhase.Leaving or MemberPhase.Exiting => 2,
        MemberPhase.Down => 3,
        _ => 4,
    };

    private static PlacementNodeState? StateOf(ObservedMember member) => member.Phase switch
    {
        MemberPhase.Up or MemberPhase.WeaklyUp => member.Reachable ? PlacementNodeState.Active : PlacementNodeState.Unreachable,
        MemberPhase.Leaving or MemberPhase.Exiting => member.Reachable ? PlacementNodeState.Leaving : PlacementNodeState.Unreachable,
        MemberPhase.Down => PlacementNodeState.Unreachable,
        _ => null,
    };
}
