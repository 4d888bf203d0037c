namespace AkkaKv.Sharding.Placement;

/// <summary>How a node's <see cref="NodePlacement"/> (hosted by <see cref="Hosting.NodePlacementHost"/>) works.</summary>
public sealed record PlacementHostOptions
{
    /// <summary>This node.</summary>
    public NodeId Node { get; init; }

    /// <summary>The placement group's shard (the coordinator runs where its leader is).</summary>
    public ShardId PlacementShard { get; init; }

    /// <summary>How often the local placement replica's leadership is checked. Default 500 ms.</summary>
    public TimeSpan CheckInterval { get; init; } = TimeSpan.FromMilliseconds(500);

    /// <summary>How often a coordinator republishes the configuration to every node (new members learn it so). Default 2 s.</summary>
    public TimeSpan PublishInterval { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>
    /// How long a local replica may be absent from the current configuration before it is stopped and its data
    /// deleted. A replica being added is absent until its step is recorded, so this is generous. Default 60 s.
    /// </summary>
    public TimeSpan RemovedReplicaGrace { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>How long a replica manager or replica may take to answer. Default 5 s.</summary>
    public TimeSpan AskTimeout { get; init; } = TimeSpan.FromSeconds(5);
}
