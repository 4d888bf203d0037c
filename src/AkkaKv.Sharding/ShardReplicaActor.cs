using AkkaKv.Actors;
using AkkaKv.Persistence;
using AkkaKv.Persistence.Snapshots;
using AkkaKv.Store;

namespace AkkaKv.Sharding;

/// <summary>
/// One shard's replica as a persistent actor: its journal is the write log. A write is given the next log index,
/// appended to the node WAL (which group-commits it with other shards' writes), and applied and answered only once
/// durable, in index order. Recovery is the newest snapshot plus a replay of the journal after it; after
/// <see cref="ShardReplicaOptions.SnapshotEveryEntries"/> applied entries or
/// <see cref="ShardReplicaOptions.SnapshotEveryBytes"/> applied bytes a snapshot is written and the journal compacted. Until consensus arrives this is a Raft group of one, at term 1: the entry shape is already Raft's.
/// </summary>
public sealed partial class ShardReplicaActor : Actor
{
    private static readonly Term SingleReplicaTerm = new(1);

    private readonly ShardId _shard;
    private readonly IJournal _journal;
    private readonly ISnapshotStore _snapshots;
    private readonly ShardReplicaOptions _options;
    private readonly KvStateMachine _state;
    private readonly Queue<PendingWrite> _pending = new();
    private LogIndex _lastIndex;
    private LogIndex _snapshotIndex;
    private long _appliedSinceSnapshot;
    private long _bytesSinceSnapshot;

    private ShardReplicaActor(ShardId shard, IJournal journal, ISnapshotStore snapshots, ShardReplicaOptions options)
    {
        _shard = shard;
        _journal = journal;
        _snapshots = snapshots;
        _options = options;
        _state = new KvStateMachine(options.IdempotencyCapacity, (long)options.IdempotencyRetention.TotalMilliseconds);
    }

    /// <summary>Props of the replica of <paramref name="shard"/>.</summary>
    public static Props Props(ShardId shard, IJournal journal, ISnapshotStore snapshots, ShardReplicaOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(journal);
        ArgumentNullException.ThrowIfNull(snapshots);
        return Actors.Props.Create(() => new ShardReplicaActor(shard, journal, snapshots, options ?? new ShardReplicaOptions()));
    }

    protected override void PreStart() => Recover();

    protected override void Receive(object message)
    {
        switch (message)
        {
            case WriteRequest write: OnWrite(write); break;
            case ReadRequest read: Sender.Tell(new ReadReply(_state.Get(read.Key))); break;
            case ScanRequest scan: Sender.Tell(new ScanReply([.. _state.Scan(scan.Prefix, scan.Limit).Select(entry => new KeyVersion(entry.Key, entry.Version))])); break;
            case GetShardStatus: Sender.Tell(new ShardStatus(_shard, _state.AppliedIndex, _snapshotIndex, _state.Count, _pending.Count)); break;
            case Persisted persisted: OnPersisted(persisted.Index); break;
            case PersistFailed failed: OnPersistFailed(failed); break;
            case Compacted: break;
            case CompactFailed failed: Log.CompactionFailed(_shard, failed.Cause); break;
            default: Unhandled(message); break;
        }
    }

    private void OnWrite(WriteRequest write)
    {
        var index = _lastIndex.Next();
        _lastIndex = index;
        var payload = KvCommandCodec.Encode(write.Command);
        _pending.Enqueue(new PendingWrite(index, write.Command, Sender, payload.Length));
        var entry = new JournalEntry(index, SingleReplicaTerm, payload);
        var self = Self;
        _journal.Append(_shard, [entry], null, cause => self.Tell(cause is null ? new Persisted(index) : new PersistFailed(index, cause)));
    }

    private void OnPersisted(LogIndex index)
    {
        foreach (var pending in _pending)
        {
            if (pending.Index == index)
            {
                pending.IsDurable = true;
                break;
            }
        }
        // Durability may be reported out of order; effects happen strictly in log order.
        while (_pending.TryPeek(out var head) && head.IsDurable)
        {
            _pending.Dequeue();
            head.ReplyTo.Tell(new WriteReply(_state.Apply(head.Index, head.Command)));
            _appliedSinceSnapshot++;
            _bytesSinceSnapshot += head.PayloadBytes;
        }
        var due = _appliedSinceSnapshot >= _options.SnapshotEveryEntries || _bytesSinceSnapshot >= _options.SnapshotEveryBytes;
        if (due && _pending.Count == 0)
        {
            TakeSnapshot();
        }
    }

    private void OnPersistFailed(PersistFailed failed)
    {
        // The journal refuses everything after a failed write: nothing pending can become durable any more.
        Log.JournalWriteFailed(_shard, failed.Index, failed.Cause);
        foreach (var pending in _pending)
        {
            pending.ReplyTo.Tell(new Status.Failure(failed.Cause));
        }
        _pending.Clear();
        _lastIndex = _state.AppliedIndex;
    }

    private void TakeSnapshot()
    {
        var metadata = new SnapshotMetadata(_shard, _state.AppliedIndex, SingleReplicaTerm);
        var writer = _snapshots.BeginWrite(metadata);
        try
        {
            _state.WriteSnapshot(writer.Content);
            writer.Complete();
        }
        catch
        {
            writer.Abandon();
            throw;
        }
        _snapshotIndex = metadata.Index;
        _appliedSinceSnapshot = 0;
        _bytesSinceSnapshot = 0;
        Log.SnapshotTaken(_shard, metadata.Index, _state.Count);
        _journal.CompactAsync(_shard, metadata.Index, metadata.Term).PipeTo(Self, () => Compacted.Instance, cause => new CompactFailed(cause));
    }

    /// <summary>Newest snapshot, then every journaled entry after it, applied in order.</summary>
    private void Recover()
    {
        using (var snapshot = _snapshots.OpenLatest(_shard))
        {
            if (snapshot is not null)
            {
                _state.RestoreSnapshot(snapshot.Content);
                _snapshotIndex = snapshot.Metadata.Index;
            }
        }
        var bounds = _journal.Bounds(_shard);
        if (bounds.Compacted > _snapshotIndex)
        {
            throw new InvalidOperationException(
                $"{_shard}: the journal is compacted up to {bounds.Compacted} but the newest snapshot covers only {_snapshotIndex}; the snapshot files are missing or damaged");
        }
        var next = _snapshotIndex.Next();
        while (next <= bounds.Last)
        {
            foreach (var entry in _journal.Read(_shard, next, bounds.Last, maxBytes: 4 * 1024 * 1024))
            {
                _state.Apply(entry.Index, KvCommandCodec.Decode(entry.Payload));
                next = entry.Index.Next();
            }
        }
        _lastIndex = LogIndex.Max(_snapshotIndex, bounds.Last);
        _appliedSinceSnapshot = (long)(_lastIndex.Value - _snapshotIndex.Value);
        Log.ShardRecovered(_shard, _snapshotIndex, _lastIndex, _state.Count);
    }

    private sealed class PendingWrite(LogIndex index, KvCommand command, IActorRef replyTo, int payloadBytes)
    {
        public int PayloadBytes { get; } = payloadBytes;
        public LogIndex Index { get; } = index;
        public KvCommand Command { get; } = command;
        public IActorRef ReplyTo { get; } = replyTo;
        public bool IsDurable { get; set; }
    }

    private sealed record Persisted(LogIndex Index);

    private sealed record PersistFailed(LogIndex Index, Exception Cause);

    private sealed record Compacted
    {
        public static readonly Compacted Instance = new();
    }

    private sealed record CompactFailed(Exception Cause);
}
