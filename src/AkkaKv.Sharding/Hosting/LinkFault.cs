namespace AkkaKv.Sharding.Hosting;

/// <summary>
/// A fault on the link to one peer: <see cref="FaultMode.Delay"/> uses <see cref="Delay"/>,
/// <see cref="FaultMode.Throttle"/> uses <see cref="BytesPerSecond"/>; delay and throttle apply to sent frames.
/// </summary>
public sealed record LinkFault(FaultMode Mode, FaultDirection Direction = FaultDirection.Both, TimeSpan Delay = default, long BytesPerSecond = 0)
{
    public static readonly LinkFault None = new(FaultMode.PassThrough);

    /// <summary>True when frames sent to the peer are discarded.</summary>
    public bool DropsSent => Mode == FaultMode.Blackhole && Direction != FaultDirection.Receive;

    /// <summary>True when frames received from the peer are discarded.</summary>
    public bool DropsReceived => Mode == FaultMode.Blackhole && Direction != FaultDirection.Send;
}
