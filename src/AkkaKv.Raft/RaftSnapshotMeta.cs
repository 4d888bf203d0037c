namespace AkkaKv.Raft;

/// <summary>Describes a snapshot: the state after applying every entry up to <see cref="Index"/>.</summary>
/// <param name="Index">The last entry the snapshot covers.</param>
/// <param name="Term">The term of that entry.</param>
/// <param name="Conf">The membership as of that entry.</param>
/// <param name="SizeBytes">The length of the snapshot's data.</param>
public sealed record RaftSnapshotMeta(LogIndex Index, Term Term, ConfState Conf, long SizeBytes);
