namespace AkkaKv.Sharding.Hosting;

/// <summary>What the fault injector does to traffic between this node and one peer.</summary>
public enum FaultMode
{
    /// <summary>Traffic flows normally.</summary>
    PassThrough = 0,

    /// <summary>Frames are silently discarded (the connection stays up, as with a network that eats packets).</summary>
    Blackhole = 1,

    /// <summary>Each batch of outbound frames is held back by a fixed delay.</summary>
    Delay = 2,

    /// <summary>Outbound bytes are limited to a rate.</summary>
    Throttle = 3,
}
