namespace AkkaKv.Persistence.Membership;

/// <summary>The membership mark in memory (tests and simulations keep one per simulated disk).</summary>
public sealed class InMemoryClusterMembershipRecord : IClusterMembershipRecord
{
    public bool Exists { get; private set; }

    public void Record() => Exists = true;
}
