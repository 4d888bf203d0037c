namespace AkkaKv.Persistence.Snapshots;

/// <summary>What a snapshot covers: the shard, and the last log entry (index and term) whose effect it contains.</summary>
public readonly record struct SnapshotMetadata(ShardId Shard, LogIndex Index, Term Term);
