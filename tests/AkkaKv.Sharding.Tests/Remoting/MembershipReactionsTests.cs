using AkkaKv.Sharding.Hosting;
using AkkaKv.Sharding.Placement;

namespace AkkaKv.Sharding.Tests.Remoting;

/// <summary>How a node reacts to membership (<see cref="MembershipReactions"/>), fed member lists as Akka.Cluster reports them.</summary>
public sealed class MembershipReactionsTests
{
    private static readonly NodeId Self = new(1);
    private static readonly NodeId Peer = new(2);

    private static ObservedMember Member(NodeId node, MemberPhase phase, bool reachable = true, long incarnation = 1, int port = 0) =>
        new(node, $"akka.tcp://akkakv@127.0.0.1:{(port == 0 ? 2550 + (int)node.Value : port)}", incarnation, phase, reachable);

    [Fact]
    public void A_node_up_alone_bootstraps_once()
    {
        var reactions = new MembershipReactions(Self);
        Assert.False(reactions.Observe([Member(Self, MemberPhase.Joining)]).Bootstrap);
        Assert.True(reactions.Observe([Member(Self, MemberPhase.Up)]).Bootstrap);
        Assert.False(reactions.Observe([Member(Self, MemberPhase.Up)]).Bootstrap);
        Assert.False(reactions.Observe([Member(Self, MemberPhase.Up), Member(Peer, MemberPhase.Up)]).Bootstrap);
    }

    [Fact]
    public void A_node_that_joined_others_never_bootstraps()
    {
        var reactions = new MembershipReactions(Self);
        Assert.False(reactions.Observe([Member(Peer, MemberPhase.Up), Member(Self, MemberPhase.Joining)]).Bootstrap);
        Assert.False(reactions.Observe([Member(Self, MemberPhase.Up)]).Bootstrap); // the peer left before this node was up
    }

    [Theory]
    [InlineData(MemberPhase.Up, true, PlacementNodeState.Active)]
    [InlineData(MemberPhase.WeaklyUp, true, PlacementNodeState.Active)]
    [InlineData(MemberPhase.Up, false, PlacementNodeState.Unreachable)]
    [InlineData(MemberPhase.Leaving, true, PlacementNodeState.Leaving)]
    [InlineData(MemberPhase.Exiting, true, PlacementNodeState.Leaving)]
    [InlineData(MemberPhase.Leaving, false, PlacementNodeState.Unreachable)]
    [InlineData(MemberPhase.Down, true, PlacementNodeState.Unreachable)]
    public void Member_phases_map_to_placement_states(MemberPhase phase, bool reachable, PlacementNodeState expected)
    {
        var reaction = new MembershipReactions(Self).Observe([Member(Self, MemberPhase.Up), Member(Peer, phase, reachable)]);
        Assert.Equal(new PlacementNode(Peer, expected), reaction.Nodes.Single(node => node.Node == Peer));
    }

    [Fact]
    public void Joining_and_removed_members_are_not_placements_and_a_removed_ones_address_goes()
    {
        var reactions = new MembershipReactions(Self);
        var joining = reactions.Observe([Member(Self, MemberPhase.Up), Member(Peer, MemberPhase.Joining)]);
        Assert.DoesNotContain(joining.Nodes, node => node.Node == Peer);
        Assert.Contains((Peer, (string?)"akka.tcp://akkakv@127.0.0.1:2552"), joining.AddressChanges);
        var removed = reactions.Observe([Member(Self, MemberPhase.Up), Member(Peer, MemberPhase.Removed)]);
        Assert.DoesNotContain(removed.Nodes, node => node.Node == Peer);
        Assert.Equal([(Peer, (string?)null)], removed.AddressChanges);
        Assert.Empty(reactions.Observe([Member(Self, MemberPhase.Up)]).AddressChanges); // already gone
    }

    [Fact]
    public void A_restarted_node_counts_by_its_new_incarnation_while_the_old_one_is_downed()
    {
        var reactions = new MembershipReactions(Self);
        reactions.Observe([Member(Self, MemberPhase.Up), Member(Peer, MemberPhase.Up, incarnation: 10)]);
        var restarted = reactions.Observe([Member(Self, MemberPhase.Up), Member(Peer, MemberPhase.Down, reachable: false, incarnation: 10), Member(Peer, MemberPhase.Up, incarnation: 11, port: 3000)]);
        Assert.Equal(new PlacementNode(Peer, PlacementNodeState.Active), restarted.Nodes.Single(node => node.Node == Peer));
        Assert.Equal([(Peer, (string?)"akka.tcp://akkakv@127.0.0.1:3000")], restarted.AddressChanges);
        Assert.True(restarted.WakeReplicas);
    }

    [Fact]
    public void Replicas_wake_only_when_membership_changed()
    {
        var reactions = new MembershipReactions(Self);
        Assert.True(reactions.Observe([Member(Self, MemberPhase.Up), Member(Peer, MemberPhase.Up)]).WakeReplicas);
        Assert.False(reactions.Observe([Member(Peer, MemberPhase.Up), Member(Self, MemberPhase.Up)]).WakeReplicas);
        Assert.True(reactions.Observe([Member(Self, MemberPhase.Up), Member(Peer, MemberPhase.Up, reachable: false)]).WakeReplicas);
    }
}
