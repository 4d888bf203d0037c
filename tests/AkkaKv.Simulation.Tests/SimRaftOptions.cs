using AkkaKv.Raft;

namespace AkkaKv.Simulation.Tests;

/// <summary>The Raft settings of simulated replicas: fast timings, small snapshot chunks and windows, quiescence when asked.</summary>
internal static class SimRaftOptions
{
    public static RaftOptions For(bool quiescence) => new()
    {
        ElectionTicks = 10,
        HeartbeatTicks = 2,
        SnapshotChunkBytes = 512,
        MaxInflightMessages = 16,
        QuiesceAfterTicks = quiescence ? 10 : 0,
        QuiescentHeartbeatTicks = 10,
    };
}
