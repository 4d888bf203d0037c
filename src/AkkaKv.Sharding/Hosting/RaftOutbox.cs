using Akka.Actor;
using AkkaKv.Raft;
using AkkaKv.Sharding.Remoting;

namespace AkkaKv.Sharding.Hosting;

/// <summary>
/// The Raft traffic of this node to one peer node. Every message queued before the outbox's own flush message is sent
/// in one <see cref="RaftBatch"/> — so the many shards' messages of one round (and their heartbeats, coalesced)
/// share one Akka.Remote envelope — and a batch is cut when it reaches the batch budget, well below the
/// remote frame limit. While the peer's address is unknown, its messages are dropped and counted: Raft retries.
/// In test mode a <see cref="SendDelay"/> holds every batch for that long before it goes to Akka.Remote, in the order
/// the batches were cut (a batch never overtakes an earlier one, even when the delay shrinks); the wait is a scheduled
/// message to the outbox itself, never a blocked thread, and at most <see cref="MaxDelayedBatches"/> are held.
/// </summary>
internal sealed class RaftOutbox : UntypedActor, IWithTimers
{
    /// <summary>Batches a send delay holds at most; more are dropped and counted, as with an unknown address (Raft retries).</summary>
    public const int MaxDelayedBatches = 10_000;

    private readonly NodeId _self;
    private readonly NodeId _peer;
    private readonly int _maxBatchBytes;
    private readonly RaftTransportCounters _counters;
    private readonly List<RaftEnvelope> _pending = [];
    private readonly Queue<(TimeSpan Due, RaftBatch Batch)> _delayed = new();
    private IActorRef? _target;
    private long _pendingBytes;
    private bool _flushQueued;
    private TimeSpan _sendDelay;

    /// <summary>Used by Akka.NET through <see cref="Props"/> (its activator needs a public constructor).</summary>
    public RaftOutbox(NodeId self, NodeId peer, int maxBatchBytes, RaftTransportCounters counters) =>
        (_self, _peer, _maxBatchBytes, _counters) = (self, peer, maxBatchBytes, counters);

    /// <summary>Set by Akka.NET: the release of held batches.</summary>
    public ITimerScheduler Timers { get; set; } = null!;

    public static Props Props(NodeId self, NodeId peer, int maxBatchBytes, RaftTransportCounters counters) =>
        Akka.Actor.Props.Create(() => new RaftOutbox(self, peer, maxBatchBytes, counters));

    /// <summary>Where the peer's replica manager is (or null: unknown, its messages are dropped).</summary>
    public sealed record PeerAddress(Address? Address);

    /// <summary>Hold each batch this long before sending it (test mode); zero sends at once, releasing the held batches in order.</summary>
    public sealed record SendDelay(TimeSpan Delay);

    private sealed class Flush
    {
        public static readonly Flush Instance = new();
    }

    private sealed class ReleaseDue
    {
        public static readonly ReleaseDue Instance = new();
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
            case SendDelay delay:
                OnSendDelay(delay.Delay);
                break;
            case ReleaseDue:
                ReleaseDueBatches();
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
        var batch = new RaftBatch(_self, _peer, [.. _pending]);
        _pending.Clear();
        _pendingBytes = 0;
        if (_sendDelay <= TimeSpan.Zero)
        {
            Deliver(batch);
        }
        else if (_delayed.Count >= MaxDelayedBatches)
        {
            _counters.Dropped(batch.Messages.Count);
        }
        else
        {
            _delayed.Enqueue((Now() + _sendDelay, batch));
            ScheduleRelease(_sendDelay);
        }
    }

    private void OnSendDelay(TimeSpan delay)
    {
        _sendDelay = delay;
        if (delay <= TimeSpan.Zero)
        {
            // No delay any more: what was held goes now, in order, ahead of anything sent later.
            while (_delayed.TryDequeue(out var held))
            {
                Deliver(held.Batch);
            }
        }
    }

    private void ReleaseDueBatches()
    {
        var now = Now();
        // Strictly first in, first out: a batch due earlier (the delay shrank) still waits behind the batches before it.
        while (_delayed.TryPeek(out var head) && head.Due <= now)
        {
            Deliver(_delayed.Dequeue().Batch);
        }
        if (_delayed.TryPeek(out var next))
        {
            ScheduleRelease(next.Due - now); // also when the scheduler fired early: never sent before its delay
        }
    }

    private void ScheduleRelease(TimeSpan after)
    {
        // One timer, for the head of the queue: restarting it for each new batch would postpone the head's release.
        if (!Timers.IsTimerActive(ReleaseDue.Instance))
        {
            Timers.StartSingleTimer(ReleaseDue.Instance, ReleaseDue.Instance, after);
        }
    }

    private static TimeSpan Now() => Context.System.Scheduler.HighResMonotonicClock;

    private void Deliver(RaftBatch batch)
    {
        if (_target is { } target)
        {
            target.Tell(batch, ActorRefs.NoSender);
            _counters.Sent(batch.Messages.Count);
        }
        else
        {
            _counters.Dropped(batch.Messages.Count);
        }
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
