using AkkaKv.Actors;

namespace AkkaKv.Cluster;

/// <summary>Messages between the cluster actors of different nodes (carried by an <see cref="IClusterTransport"/>).</summary>
public abstract record ClusterMessage
{
    private protected ClusterMessage() { }

    /// <summary>The sending node (filled in by the sending <see cref="ClusterActor"/>).</summary>
    public NodeId From { get; init; }

    /// <summary>Where the sending node listens ("host:port"): replies go there.</summary>
    public string FromAddress { get; init; } = "";
}

/// <summary>A node asks to join (sent to the seeds until it appears in their gossip).</summary>
public sealed record JoinRequest(Member Joining) : ClusterMessage;

/// <summary>A seed's answer to <see cref="JoinRequest"/> while it is not a member of a cluster itself.</summary>
public sealed record JoinNotReady : ClusterMessage;

/// <summary>The sender's membership table.</summary>
public sealed record GossipEnvelope(MembershipState State) : ClusterMessage;

/// <summary>Are you alive? Answered with <see cref="HeartbeatReply"/>.</summary>
public sealed record HeartbeatRequest(long Sequence) : ClusterMessage;

/// <summary>The answer to a <see cref="HeartbeatRequest"/>.</summary>
public sealed record HeartbeatReply(long Sequence) : ClusterMessage;

/// <summary>Local requests to a node's <see cref="ClusterActor"/>.</summary>
public abstract record ClusterCommand
{
    private protected ClusterCommand() { }
}

/// <summary>Operator decision: <paramref name="Node"/> leaves the cluster gracefully (Leaving → Exiting → Removed).</summary>
public sealed record LeaveCluster(NodeId Node) : ClusterCommand;

/// <summary>Operator decision: mark <paramref name="Node"/> Down.</summary>
public sealed record DownMember(NodeId Node) : ClusterCommand;

/// <summary>Replied to with <see cref="ClusterStateReply"/>.</summary>
public sealed record GetClusterState : ClusterCommand;

/// <summary>Send <see cref="MembershipEvent"/>s to <paramref name="Subscriber"/> (starting with the current members as MemberUp).</summary>
public sealed record SubscribeMembership(IActorRef Subscriber) : ClusterCommand;

/// <summary>This node's view: the table, its leader, this member, whether it has joined and whether it was downed.</summary>
public sealed record ClusterStateReply(MembershipState State, NodeId Leader, Member Self, bool Joined, bool SelfIsDown)
{
    /// <summary>True when this incarnation formed the cluster (the first seed, no other seed in a cluster), rather than joining one.</summary>
    public bool FormedCluster { get; init; }
}

/// <summary>Changes of membership, for subscribers such as the sharding layer.</summary>
public abstract record MembershipEvent
{
    private protected MembershipEvent() { }
}

public sealed record MemberUp(Member Member) : MembershipEvent;

public sealed record MemberRemoved(Member Member) : MembershipEvent;

public sealed record UnreachableMember(NodeId Node) : MembershipEvent;

public sealed record ReachableMember(NodeId Node) : MembershipEvent;

public sealed record LeaderChanged(NodeId Leader) : MembershipEvent;

/// <summary>This node's own member left gracefully (the leader moved it to Exiting): its work in the cluster is done.</summary>
public sealed record SelfLeft(Member Member) : MembershipEvent;
