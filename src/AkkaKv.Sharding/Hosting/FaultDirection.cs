namespace AkkaKv.Sharding.Hosting;

/// <summary>Which traffic a fault applies to, seen from the node that injects it.</summary>
public enum FaultDirection
{
    /// <summary>Frames this node sends to the peer and frames it receives from the peer.</summary>
    Both = 0,

    /// <summary>Only frames this node sends to the peer.</summary>
    Send = 1,

    /// <summary>Only frames this node receives from the peer.</summary>
    Receive = 2,
}
