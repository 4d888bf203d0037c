namespace AkkaKv.Cluster;

/// <summary>How the split-brain resolver picks the side that survives a partition (Akka's strategies).</summary>
public enum DowningStrategy
{
    /// <summary>The side with more members survives; on a tie, the side holding the member with the lowest address.</summary>
    KeepMajority,

    /// <summary>A side with at least the configured quorum survives; a smaller side downs itself.</summary>
    StaticQuorum,

    /// <summary>The side holding the oldest member (earliest incarnation) survives.</summary>
    KeepOldest,

    /// <summary>Any lasting partition downs everyone: safest, least available.</summary>
    DownAll,
}
