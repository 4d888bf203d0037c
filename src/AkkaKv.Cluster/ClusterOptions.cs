namespace AkkaKv.Cluster;

/// <summary>Membership settings; the defaults follow Akka's where Akka has one.</summary>
public sealed record ClusterOptions
{
    /// <summary>
    /// Addresses ("host:port") contacted to join. The first seed forms the cluster by joining itself when the other
    /// seeds answer that they are not in a cluster, or do not answer within <see cref="SeedNodeTimeout"/>; every other
    /// node only joins an existing cluster.
    /// </summary>
    public IReadOnlyList<string> Seeds { get; init; } = [];

    /// <summary>How long the first seed waits for the other seeds before forming a cluster alone. Default 5 s (Akka's).</summary>
    public TimeSpan SeedNodeTimeout { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// After this member was downed (by the resolver or an operator), start over as a new incarnation that joins
    /// through the seeds — never by forming a cluster alone. Off: the member stays out until its process restarts.
    /// Default on.
    /// </summary>
    public bool RejoinWhenDowned { get; init; } = true;

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
