using AkkaKv.Raft;

namespace AkkaKv.Simulation.Tests;

/// <summary>One simulation run: its seed, its size and how hostile the world is. Probabilities are per 10 ms step.</summary>
public sealed record SimOptions
{
    public required int Seed { get; init; }

    /// <summary>
    /// Idle groups quiesce: clients then pause in turns (idle 3 s of every 5 s) so the group falls asleep often, and
    /// faults are sometimes followed by a host wake, as membership changes would trigger.
    /// </summary>
    public bool Quiescence { get; init; }

    /// <summary>Chance that a fault or heal is followed by a wake of every replica (the host seeing a membership change).</summary>
    public double WakeAfterFault { get; init; } = 0.5;

    /// <summary>Replicas in the group (3 or 5).</summary>
    public int Replicas { get; init; } = 3;

    /// <summary>Concurrent clients.</summary>
    public int Clients { get; init; } = 6;

    /// <summary>Keys the clients touch (few keys, many conflicts).</summary>
    public int Keys { get; init; } = 3;

    /// <summary>Virtual time with faults injected; then everything heals and the run must converge.</summary>
    public TimeSpan FaultyPeriod { get; init; } = TimeSpan.FromSeconds(20);

    /// <summary>Virtual time allowed for convergence after healing.</summary>
    public TimeSpan ConvergenceLimit { get; init; } = TimeSpan.FromSeconds(60);

    public double MessageLoss { get; init; } = 0.02;
    public double MessageDuplication { get; init; } = 0.01;
    public double LongDelay { get; init; } = 0.02;
    public double PartitionChance { get; init; } = 0.004;
    public double HealChance { get; init; } = 0.003;
    public double CrashChance { get; init; } = 0.002;
    public double RestartChance { get; init; } = 0.01;
    public double TornWriteOnCrash { get; init; } = 0.5;
    public double ClockJumpChance { get; init; } = 0.001;
    public double PauseChance { get; init; } = 0.004;

    /// <summary>Leaders answer linearizable reads from their lease (<c>lease-reads</c>) instead of a heartbeat round.</summary>
    public bool LeaseReads { get; init; }

    /// <summary>
    /// With lease reads, how far a drifting clock's rate strays from 1 (rates in [1 - d, 1 / (1 - d)]). The lease
    /// (election ticks 10, drift margin 2) is safe while two clocks' rates differ by less than 20 %: default 0.08.
    /// </summary>
    public double LeaseClockDrift { get; init; } = 0.08;

    /// <summary>Chance that a node's clock runs at a different rate (drift) for the whole run.</summary>
    public double ClockDriftChance { get; init; } = 0.3;
    /// <summary>
    /// Chance that a crash, pause or partition is aimed at the latest leader instead of a random node: a leader that
    /// falls away with entries only it has is where elections, commitment and log repair are tested hardest.
    /// </summary>
    public double AimAtLeader { get; init; } = 0.5;
    public double LeaderTransferChance { get; init; } = 0.002;
    public double MembershipChangeChance { get; init; } = 0.002;
    public double FsyncCompletes { get; init; } = 0.5;

    /// <summary>Chance that a node's disk is slow for the whole run (a busy or failing disk, a throttled volume).</summary>
    public double SlowDiskChance { get; init; } = 0.3;

    /// <summary>Chance per step that a slow disk's pending fsync completes (mean 200 ms).</summary>
    public double SlowDiskFsyncCompletes { get; init; } = 0.05;

    /// <summary>Chance that a paused node is also cut off from its peers (not from its clients) from the pause on.</summary>
    public double PausedNodeCutOff { get; init; } = 0.5;
    public double ClientIssues { get; init; } = 0.5;

    /// <summary>
    /// Chance that a client starts an operation at a random node instead of the one it believes leads (a load
    /// balancer in front of the gateways): clients then spread over every node that thinks it leads, and one cut off
    /// from its peers still gets requests, as in production.
    /// </summary>
    public double ClientRoams { get; init; } = 0.2;

    /// <summary>Deliberately broken Raft behaviours to run with (tests proving the checks catch them); none by default.</summary>
    internal RaftDefects Defects { get; init; }

    /// <summary>A client gives up on a request after this long (the outcome becomes unknown).</summary>
    public TimeSpan ClientTimeout { get; init; } = TimeSpan.FromSeconds(3);
}
