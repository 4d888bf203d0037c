using System.Collections.Concurrent;

namespace AkkaKv.Remote;

/// <summary>
/// Test-only network faults between this node and named peers, in the spirit of Akka's TestConductor: blackhole,
/// pass-through, delay and throttle. The transport consults it for every frame; it exists only when the transport's
/// test mode is on, so a production node cannot be told to drop its peers' traffic.
/// </summary>
public sealed class FaultInjector
{
    private readonly ConcurrentDictionary<NodeId, LinkFault> _faults = new();

    /// <summary>Applies <paramref name="fault"/> to the link to <paramref name="peer"/> (pass-through clears it).</summary>
    public void Set(NodeId peer, LinkFault fault)
    {
        ArgumentNullException.ThrowIfNull(fault);
        if (fault.Mode == FaultMode.PassThrough)
        {
            _faults.TryRemove(peer, out _);
            return;
        }
        if (fault.Mode == FaultMode.Delay && fault.Delay <= TimeSpan.Zero)
        {
            throw new ArgumentException("a delay fault needs a positive delay", nameof(fault));
        }
        if (fault.Mode == FaultMode.Throttle && fault.BytesPerSecond <= 0)
        {
            throw new ArgumentException("a throttle fault needs a positive rate", nameof(fault));
        }
        _faults[peer] = fault;
    }

    /// <summary>Removes every fault.</summary>
    public void Clear() => _faults.Clear();

    /// <summary>The fault on the link to <paramref name="peer"/> (<see cref="LinkFault.None"/> when none).</summary>
    public LinkFault For(NodeId peer) => _faults.GetValueOrDefault(peer, LinkFault.None);

    /// <summary>The current faults by peer.</summary>
    public IReadOnlyDictionary<NodeId, LinkFault> Current => new Dictionary<NodeId, LinkFault>(_faults);
}
