namespace AkkaKv.Persistence.Snapshots;

/// <summary>
/// Durable snapshots of shard state. Writing streams into a temporary file that becomes visible atomically (and
/// durably) only when complete; loading verifies the checksum before handing out the content.
/// </summary>
public interface ISnapshotStore
{
    /// <summary>Starts writing a snapshot; write the state to <see cref="SnapshotWriter.Content"/>, then <see cref="SnapshotWriter.CompleteAsync"/>.</summary>
    SnapshotWriter BeginWrite(SnapshotMetadata metadata);

    /// <summary>The newest intact snapshot of <paramref name="shard"/>, or null; damaged newer ones are skipped (and logged).</summary>
    SnapshotReader? OpenLatest(ShardId shard);

    /// <summary>Metadata of the stored snapshots of <paramref name="shard"/>, newest first.</summary>
    IReadOnlyList<SnapshotMetadata> List(ShardId shard);

    /// <summary>Deletes every snapshot of <paramref name="shard"/> (a replica moved away).</summary>
    void DeleteAll(ShardId shard);
}
