using AkkaKv.Raft;

namespace AkkaKv.Sharding.Tests;

/// <summary>Raft timings for move tests: 20 ms ticks (elections in 200–400 ms), frequent snapshots so new replicas catch up by snapshot.</summary>
internal static class MoveTimings
{
    public static readonly RaftGroupOptions Options = new()
    {
        TickInterval = TimeSpan.FromMilliseconds(20),
        Raft = new RaftOptions { ElectionTicks = 10, HeartbeatTicks = 1 },
        SnapshotEveryEntries = 20,
        CompactionLagEntries = 5,
    };
}
