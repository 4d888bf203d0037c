namespace AkkaKv.Sharding.Hosting;

/// <summary>Where a cluster member is in its life (Akka.Cluster's member status, without the runtime).</summary>
public enum MemberPhase
{
    Joining,
    WeaklyUp,
    Up,
    Leaving,
    Exiting,
    Down,
    Removed,
}
