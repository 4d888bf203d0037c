namespace AkkaKv.Persistence.Membership;

/// <summary>
/// A durable mark that this node's disk has taken part in a cluster: set when the placement gives it a replica and
/// when one of its replicas is removed (the data goes, the membership must not be
/// forgotten). A disk so marked never
/// bootstraps new groups — even once every replica has moved away and the disk looks empty — because groups created
/// there would share ids with the cluster's own and split it.
/// </summary>
public interface IClusterMembershipRecord
{
    /// <summary>True once the mark is set.</summary>
    bool Exists { get; }

    /// <summary>Sets the mark durably (idempotent).</summary>
    void Record();
}
