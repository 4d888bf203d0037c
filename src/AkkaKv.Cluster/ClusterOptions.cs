namespace AkkaKv.Cluster;

/// <summary>Membership settings; the defaults follow Akka's where Akka has one.</summary>
public sealed record ClusterOptions
{
    /// <summary>Nodes contacted to join; the first seed may form the cluster by joining itself.</summary>
    public IReadOnlyList<NodeId> Seeds { get; init; } = [];

    /// <summary>How often a node gossips its table to a random member. Default 1 s.</summary>
    public TimeSpan GossipInterval { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>Members each node monitors with heartbeats (its successors on the ring). Default 5.</summary>
    public int MonitoredByNrOfMembers { get; init; } = 5;

    /// <summary>Failure detector settings (including the heartbeat interval).</summary>
    public PhiAccrualOptions FailureDetector { get; init; } = new();

    /// <summary>How the split-brain resolver decides.</summary>
    public DowningStrategy Downing { get; init; } = DowningStrategy.KeepMajority;

    /// <summary>For <see cref="DowningStrategy.StaticQuorum"/>.</summary>
    public int StaticQuorum { get; init; }

    /// <summary>How long the set of unreachable members must stay unchanged before the resolver acts. Default 7 s.</summary>
    public TimeSpan StableAfter { get; init; } = TimeSpan.FromSeconds(7);
}
