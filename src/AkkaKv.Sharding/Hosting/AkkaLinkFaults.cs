using System.Collections.Immutable;
using Akka.Actor;
using Akka.Remote;
using Akka.Remote.Transport;
using Microsoft.Extensions.Logging;

namespace AkkaKv.Sharding.Hosting;

/// <summary>
/// Test-mode network faults between this node and named peers on Akka.NET; it needs Akka.Remote's <c>applied-adapters = ["trttl", "gremlin"]</c>, which AkkaKv
/// configures only with <c>akkakv.remote.test-mode = on</c>. Each peer has at most one fault; setting one replaces
/// the previous. What each fault affects, seen from this node:
/// <list type="bullet">
/// <item><see cref="FaultMode.Blackhole"/>: everything on the Akka.Remote association with the peer's address in the
/// chosen direction — Raft batches, requests and replies, cluster gossip and heartbeats, system messages and the
/// transport's own heartbeats — is silently discarded by Akka's throttler adapter while the connection stays up. Long
/// enough, the failure detectors mark the peer unreachable and the split-brain resolver acts, as with a partition.</item>
/// <item><see cref="FaultMode.Throttle"/>: the same traffic is limited to <see cref="LinkFault.BytesPerSecond"/>
/// bytes of encoded Akka.Remote payload per second (send: what this node writes; receive: what it reads from the
/// peer); nothing is dropped, messages queue in Akka's endpoint writer. The token bucket starts empty and holds at
/// most one maximum frame, so after an idle period up to idle time × rate bytes (at most one frame) pass at once.</item>
/// <item><see cref="FaultMode.Delay"/>: only the Raft batches this node sends to the peer
/// (<see cref="AkkaRaftTransport.SetSendDelay"/>), each held for <see cref="LinkFault.Delay"/>, in order; Akka's
/// adapters cannot delay, so the peer's traffic, gossip and requests are not delayed. Direction send only.</item>
/// <item><see cref="FaultMode.PassThrough"/>: lifts a blackhole or throttle in both directions and ends a delay (the
/// held batches go at once).</item>
/// </list>
/// A fault lives in this node's throttler, keyed by the peer's host and port as the peer advertises them, and applies
/// to associations made later too. Akka.NET 1.5.75's token bucket converts the tokens accrued since its last write to
/// Int32 with overflow checking: a write that comes more than 2^31 / rate seconds after the bucket's previous write (or,
/// on an association made later, after the throttle was set) throws, and Akka fails and reconnects the association —
/// about 9 hours at 64 KiB/s, but 21 s at 100 MB/s: keep test throttles slow, or set them again after a reconnection.
/// </summary>
public sealed partial class AkkaLinkFaults : IDisposable
{
    /// <summary>The highest throttle rate, in bytes per second (Akka's token bucket counts in Int32).</summary>
    public const long MaxBytesPerSecond = int.MaxValue;

    private const string ThrottlerAdapter = "trttl";
    private const long DefaultMaximumFrameBytes = 128_000;
    private const int PayloadEnvelopeBytes = 4096; // the protocol layer's wrapping of a frame-sized message, with room to spare

    private readonly ActorSystem _system;
    private readonly RemoteTransport _remote;
    private readonly AkkaRaftTransport _raftTransport;
    private readonly ILogger _log;
    private readonly int _bucketCapacityBytes;
    private readonly SemaphoreSlim _changing = new(1, 1);
    private ImmutableDictionary<NodeId, (Address Address, LinkFault Fault)> _faults = ImmutableDictionary<NodeId, (Address, LinkFault)>.Empty;

    /// <exception cref="ArgumentException"><paramref name="system"/> runs no Akka.Remote, or Akka.Remote without the throttler adapter.</exception>
    public AkkaLinkFaults(ActorSystem system, AkkaRaftTransport raftTransport, ILogger logger)
    {
        ArgumentNullException.ThrowIfNull(system);
        ArgumentNullException.ThrowIfNull(raftTransport);
        ArgumentNullException.ThrowIfNull(logger);
        if (((ExtendedActorSystem)system).Provider is not IRemoteActorRefProvider remoting)
        {
            throw new ArgumentException("link faults need Akka.Remote (a remote or cluster actor provider)", nameof(system));
        }
        // Checked here because the transport cannot tell: a command no adapter takes reaches Akka's base Transport,
        // which acknowledges anything.
        if (!remoting.RemoteSettings.Transports.Any(transport => transport.Adapters.Contains(ThrottlerAdapter)))
        {
            throw new ArgumentException(
                "link faults need Akka.Remote's throttler: applied-adapters = [\"trttl\", \"gremlin\"] (akkakv.remote.test-mode = on)", nameof(system));
        }
        _remote = remoting.Transport;
        (_system, _raftTransport, _log) = (system, raftTransport, logger);
        // Akka's bucket lets a write larger than its capacity through only while its balance is positive, and then
        // never again until a smaller write repays the debt: a bucket holding a whole frame never meets that case.
        var frameBytes = system.Settings.Config.GetByteSize("akka.remote.dot-netty.tcp.maximum-frame-size", DefaultMaximumFrameBytes) ?? DefaultMaximumFrameBytes;
        _bucketCapacityBytes = (int)Math.Min(int.MaxValue, frameBytes + PayloadEnvelopeBytes);
    }

    /// <summary>The current faults by peer (pass-through ones are not listed).</summary>
    public IReadOnlyDictionary<NodeId, LinkFault> Current => _faults.ToImmutableDictionary(pair => pair.Key, pair => pair.Value.Fault);

    /// <summary>
    /// Applies <paramref name="fault"/> to the link to <paramref name="peer"/> at <paramref name="peerAddress"/> (its
    /// advertised Akka address; only host and port count), replacing its previous fault; pass-through clears it. The
    /// task completes once Akka.Remote's throttler acknowledged the change on every current association.
    /// </summary>
    /// <exception cref="ArgumentException">The fault is not valid (validated before anything changes).</exception>
    /// <exception cref="InvalidOperationException">From the task: Akka.Remote's throttler did not acknowledge the change.</exception>
    public Task Set(NodeId peer, Address peerAddress, LinkFault fault)
    {
        ArgumentNullException.ThrowIfNull(peerAddress);
        ArgumentNullException.ThrowIfNull(fault);
        if (peerAddress.Host is null || peerAddress.Port is null)
        {
            throw new ArgumentException($"{peerAddress} is not a remote address (host and port)", nameof(peerAddress));
        }
        switch (fault.Mode)
        {
            case FaultMode.Delay when fault.Delay <= TimeSpan.Zero:
                throw new ArgumentException("a delay fault needs a positive delay", nameof(fault));
            case FaultMode.Delay when fault.Direction != FaultDirection.Send:
                throw new ArgumentException("delay applies to what this node sends (direction send)", nameof(fault));
            case FaultMode.Throttle when fault.BytesPerSecond is <= 0 or > MaxBytesPerSecond:
                throw new ArgumentException($"a throttle fault needs a positive rate of at most {MaxBytesPerSecond} bytes per second", nameof(fault));
            case FaultMode.PassThrough or FaultMode.Blackhole or FaultMode.Delay or FaultMode.Throttle:
                break;
            default:
                throw new ArgumentException($"unknown fault mode {fault.Mode}", nameof(fault));
        }
        return SetValidated(peer, peerAddress, fault);
    }

    /// <summary>Removes every fault (each link passes traffic again and held Raft batches go at once).</summary>
    public async Task Clear()
    {
        await _changing.WaitAsync().ConfigureAwait(false);
        try
        {
            foreach (var (peer, (address, _)) in _faults)
            {
                await Apply(peer, address, LinkFault.None).ConfigureAwait(false);
                _faults = _faults.Remove(peer);
            }
        }
        finally
        {
            _changing.Release();
        }
    }

    private async Task SetValidated(NodeId peer, Address peerAddress, LinkFault fault)
    {
        await _changing.WaitAsync().ConfigureAwait(false);
        try
        {
            await Apply(peer, peerAddress, fault).ConfigureAwait(false);
            _faults = fault.Mode == FaultMode.PassThrough ? _faults.Remove(peer) : _faults.SetItem(peer, (peerAddress, fault));
            LogFaultSet(peer, peerAddress, fault);
        }
        finally
        {
            _changing.Release();
        }
    }

    private async Task Apply(NodeId peer, Address address, LinkFault fault)
    {
        // The throttler remembers one (mode, direction) per address for associations made later — the last command's —
        // so first lift everything in both directions, then set the one-direction mode: old and new associations agree.
        await Throttle(address, FaultDirection.Both, Unthrottled.Instance).ConfigureAwait(false);
        _raftTransport.SetSendDelay(peer, fault.Mode == FaultMode.Delay ? fault.Delay : TimeSpan.Zero);
        switch (fault.Mode)
        {
            case FaultMode.Blackhole:
                await Throttle(address, fault.Direction, Blackhole.Instance).ConfigureAwait(false);
                break;
            case FaultMode.Throttle:
                await Throttle(address, fault.Direction, EmptyBucket(fault.BytesPerSecond)).ConfigureAwait(false);
                break;
        }
    }

    /// <summary>
    /// A bucket of <see cref="_bucketCapacityBytes"/> tokens (one token: one byte of an encoded Akka.Remote payload)
    /// that starts empty now. "Now" is the scheduler's monotonic clock, the same clock as Akka's internal
    /// <c>MonotonicClock.GetNanos()</c> the throttler reads (elapsed ticks × 100 ns): a last-send time of zero, as in
    /// Akka's own examples, would credit the whole process uptime at once — a burst, or an Int32 overflow.
    /// </summary>
    private TokenBucket EmptyBucket(long bytesPerSecond)
    {
        var nowNanos = _system.Scheduler.MonotonicClock.Ticks * 100;
        return new TokenBucket(_bucketCapacityBytes, bytesPerSecond, nowNanos, availableTokens: 0);
    }

    private async Task Throttle(Address address, FaultDirection direction, ThrottleMode mode)
    {
        var akkaDirection = direction switch
        {
            FaultDirection.Send => ThrottleTransportAdapter.Direction.Send,
            FaultDirection.Receive => ThrottleTransportAdapter.Direction.Receive,
            _ => ThrottleTransportAdapter.Direction.Both,
        };
        var acknowledged = await _remote.ManagementCommand(new SetThrottle(address, akkaDirection, mode)).ConfigureAwait(false);
        if (!acknowledged)
        {
            throw new InvalidOperationException(
                $"Akka.Remote's throttler did not acknowledge {mode} ({akkaDirection}) for {address}");
        }
    }

    public void Dispose() => _changing.Dispose();

    [LoggerMessage(Level = LogLevel.Information, Message = "Test fault on the link to {Peer} at {PeerAddress}: {Fault}")]
    private partial void LogFaultSet(NodeId peer, Address peerAddress, LinkFault fault);
}
