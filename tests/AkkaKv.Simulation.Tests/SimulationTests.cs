using System.Globalization;

namespace AkkaKv.Simulation.Tests;

/// <summary>
/// Deterministic simulation of replicated shards (see <see cref="Simulator"/>). CI runs a fixed range of seeds;
/// <c>AKKAKV_SIMULATION_SEEDS=N</c> runs N seeds and <c>AKKAKV_SIMULATION_SEED=S</c> replays one. A failing seed
/// prints the one command that replays it. Even seeds run with quiescence of idle groups.
/// </summary>
[Trait("Category", "Simulation")]
public sealed class SimulationTests(ITestOutputHelper output)
{
    private const int DefaultSeeds = 200;

    /// <summary>Seeds beyond the default range that once found a bug; always run.</summary>
    private static readonly int[] RegressionSeeds =
    [
        658, // a snapshot installed just before a crash, its journal compaction lost: the next append was a gap
        1379, 1539, 1784, // lease reads: a leader resumed from a pause answered from a lease its missed ticks had ended
    ];

    public static TheoryData<int, int> Seeds()
    {
        var data = new TheoryData<int, int>();
        if (int.TryParse(Environment.GetEnvironmentVariable("AKKAKV_SIMULATION_SEED"), NumberStyles.None, CultureInfo.InvariantCulture, out var only))
        {
            data.Add(only, only % 4 == 3 ? 5 : 3);
            return data;
        }
        var count = int.TryParse(Environment.GetEnvironmentVariable("AKKAKV_SIMULATION_SEEDS"), NumberStyles.None, CultureInfo.InvariantCulture, out var configured)
            ? configured
            : DefaultSeeds;
        for (var seed = 1; seed <= count; seed++)
        {
            data.Add(seed, seed % 4 == 3 ? 5 : 3); // every fourth seed runs a group of five
        }
        foreach (var seed in RegressionSeeds.Where(seed => seed > count))
        {
            data.Add(seed, seed % 4 == 3 ? 5 : 3);
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(Seeds))]
    public void A_replicated_shard_stays_safe_and_linearizable_under_faults(int seed, int replicas)
    {
        // Every other seed runs with quiescence of idle groups.
        // Every fifth seed serves linearizable reads from leader leases, under clock drift within the lease's margin.
        var result = Simulator.Run(new SimOptions { Seed = seed, Replicas = replicas, Quiescence = seed % 2 == 0, LeaseReads = seed % 5 == 4 });
        output.WriteLine(result.Summary);
        Assert.True(result.Passed,
            $"{result.Failure}\nreplay: ./build.sh simulate --seed {seed}   (add AKKAKV_SIMULATION_LOG=1 for a log of the run)");
    }

    [Fact]
    public void Without_faults_an_idle_group_quiesces_between_bursts_and_stays_linearizable()
    {
        var calm = new SimOptions
        {
            Seed = 7,
            Quiescence = true,
            MessageLoss = 0,
            MessageDuplication = 0,
            LongDelay = 0,
            PartitionChance = 0,
            CrashChance = 0,
            ClockJumpChance = 0,
            PauseChance = 0,
            ClockDriftChance = 0,
            LeaderTransferChance = 0,
            MembershipChangeChance = 0,
        };
        var result = Simulator.Run(calm);
        output.WriteLine(result.Summary);
        Assert.True(result.Passed, result.Failure);
        Assert.True(result.QuiescingHeartbeats > 0, "the group never quiesced while its clients were idle");
    }
}
