namespace AkkaKv.Sharding;

/// <summary>How fresh a read must be.</summary>
public enum ReadConsistency
{
    /// <summary>Reflects every write acknowledged before the read began (ReadIndex or leader lease).</summary>
    Linearizable,

    /// <summary>The local replica's applied state: committed, possibly behind the leader.</summary>
    Serializable,

    /// <summary>Any replica's applied state: committed, possibly stale.</summary>
    Eventual,
}
