namespace AkkaKv.Client;

/// <summary>How fresh a read must be.</summary>
public enum ReadConsistency
{
    /// <summary>Sees every write acknowledged before the read began (the default).</summary>
    Linearizable,

    /// <summary>Reads the answering replica's committed state.</summary>
    Serializable,

    /// <summary>Reads any replica; may be stale, never uncommitted.</summary>
    Eventual,
}
