using AkkaKv.Sharding.Hosting;

namespace AkkaKv.Node;

/// <summary>A link fault as the test-mode API reads and writes it.</summary>
internal sealed record FaultDocument(string? Mode, string? Direction, long DelayMs, long BytesPerSecond)
{
    public static FaultDocument From(LinkFault fault) => new(
        fault.Mode switch { FaultMode.Blackhole => "blackhole", FaultMode.Delay => "delay", FaultMode.Throttle => "throttle", _ => "pass-through" },
        fault.Direction.ToString().ToLowerInvariant(), (long)fault.Delay.TotalMilliseconds, fault.BytesPerSecond);

    /// <summary>The fault, or null when a field is not one of the documented values.</summary>
    public LinkFault? ToLinkFault()
    {
        FaultMode? mode = Mode switch
        {
            "blackhole" => FaultMode.Blackhole,
            "pass-through" => FaultMode.PassThrough,
            "delay" => FaultMode.Delay,
            "throttle" => FaultMode.Throttle,
            _ => null,
        };
        FaultDirection? direction = Direction switch
        {
            null or "both" => FaultDirection.Both,
            "send" => FaultDirection.Send,
            "receive" => FaultDirection.Receive,
            _ => null,
        };
        if (mode is null || direction is null || DelayMs is < 0 or > 600_000 || BytesPerSecond < 0
            || (mode == FaultMode.Delay && DelayMs == 0) || (mode == FaultMode.Throttle && BytesPerSecond == 0))
        {
            return null;
        }
        return new LinkFault(mode.Value, direction.Value, TimeSpan.FromMilliseconds(DelayMs), BytesPerSecond);
    }
}
