using Akka.Actor;
using AkkaKv.Raft;
using AkkaKv.Sharding.Remoting;

namespace AkkaKv.Sharding.Hosting;

/// <summary>
/// The Raft traffic of this node to one peer node. Every message queued before the outbox's own flush message is sent
/// in one <see cref="RaftBatch"/> — so the many shards' messages of one round (and their heartbeats, coalesced)
/// share one Akka.Remote envelope — and a batch is cut when it reaches the batch budget, well below the
/// remote frame limit. While the peer's address is unknown, its messages are dropped and counted: Raft retries.
/// </summary>
internal sealed class RaftOutbox : UntypedActor
{
    private readonly NodeId _self;
    private readonly NodeId _peer;
    private readonly int _maxBatchBytes;
    private readonly RaftTransportCounters _counters;
    private readonly List<RaftEnvelope> _pending = [];
    private IActorRef? _target;
    private long _pendingBytes;
    private bool _flushQueued;

    /// <summary>Used by Akka.NET through <see cref="Props"/> (its activator needs a public constructor).</summary>
    public RaftOutbox(NodeId self, NodeId peer, int maxBatchBytes, RaftTransportCounters counters) =>
        (_self, _peer, _maxBatchBytes, _counters) = (self, peer, maxBatchBytes, counters);

    public static Props Props(NodeId self, NodeId peer, int maxBatchBytes, RaftTransportCounters counters) =>
        Akka.Actor.Props.Create(() => new RaftOutbox(self, peer, maxBatchBytes, counters));

    /// <summary>Where the peer's replica manager is (or null: unknown, its messages are dropped).</summary>
    public sealed record PeerAddress(Address? Address);

    private sealed class Flush
    {
        public static readonly Flush Instance = new();
    }

    protected override void OnReceive(object message)
    {
        switch (message)
        {
            case RaftEnvelope envelope:
                _pending.Add(envelope);
                _pendingBytes += EstimatedBytes(envelope.Message);
                if (_pendingBytes >= _maxBatchBytes)
                {
                    SendPending();
                }
                else if (!_flushQueued)
                {
                    _flushQueued = true;
                    Self.Tell(Flush.Instance); // behind everything already queued: they join this batch
                }
                break;
            case Flush:
                _flushQueued = false;
                SendPending();
                break;
            case PeerAddress peer:
                _target = peer.Address is { } address
                    ? ((ExtendedActorSystem)Context.System).Provider.ResolveActorRef(new RootActorPath(address) / "user" / ReplicaManagerHost.Name)
                    : null;
                break;
            default:
                Unhandled(message);
                break;
        }
    }

    private void SendPending()
    {
        if (_pending.Count == 0)
        {
            return;
        }
        if (_target is { } target)
        {
            target.Tell(new RaftBatch(_self, _peer, [.. _pending]), ActorRefs.NoSender);
            _counters.Sent(_pending.Count);
        }
        else
        {
            _counters.Dropped(_pending.Count);
        }
        _pending.Clear();
        _pendingBytes = 0;
    }

    /// <summary>An upper bound of the message's encoded size: its payload plus a generous header.</summary>
    internal static long EstimatedBytes(RaftMessage message)
    {
        const long header = 64;
        switch (message)
        {
            case AppendEntries append:
                var bytes = header;
                foreach (var entry in append.Entries)
                {
                    bytes += 32 + entry.Data.Length;
                }
                return bytes;
            case InstallSnapshot install:
                return header + install.Data.Length + 16L * (install.Snapshot.Conf.Voters.Count + install.Snapshot.Conf.Learners.Count);
            default:
                return header;
        }
    }
}
