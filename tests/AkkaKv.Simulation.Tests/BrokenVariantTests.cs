using System.Diagnostics;
using System.Globalization;
using AkkaKv.Raft;
using AkkaKv.Simulation.Tests.Cluster;

namespace AkkaKv.Simulation.Tests;

/// <summary>
/// The simulation has teeth: each named, deliberately broken variant of Raft (<see cref="RaftDefects"/>, reachable
/// only from tests) makes a simulation fail within a bounded number of seeds, and the failing seed is printed with
/// the command that replays it. A variant that passes every seed means the simulation no longer models what exposes
/// that bug (the failure rate per variant is in docs/testing.md). <c>AKKAKV_SIMULATION_SEED=S</c> runs only seed S of each variant; <c>AKKAKV_BROKEN_VARIANT_SURVEY=N</c>
/// runs N seeds of each and prints how many fail (the detection rate, for tuning the fault model).
/// </summary>
[Trait("Category", "Simulation")]
public sealed class BrokenVariantTests(ITestOutputHelper output)
{
    /// <summary>The single Raft group (<see cref="Simulator"/>) or the sharded cluster, whose replica moves add learners.</summary>
    public enum Simulation
    {
        Group,
        Cluster,
    }

    public static TheoryData<string, Simulation, int> Variants() => new()
    {
        // variant, the simulation that exposes it, seeds tried at most
        { nameof(RaftDefects.ReadsWithoutLeadershipConfirmation), Simulation.Group, 300 },
        // CommitOlderTermByCounting (Raft's Figure 8) is not here: 1,000 seeds do not expose it. It needs a leader
        // of a later term to hold an unreplicated entry at the index, and the counting leader to fall away in the few
        // milliseconds between a follower matching the older entry and its own no-op arriving. ReplicationTests
        // replays the figure step by step and fails with it.
        { nameof(RaftDefects.AcknowledgeBeforeDurable), Simulation.Group, 300 },
        { nameof(RaftDefects.VoteForLessUpToDateLog), Simulation.Group, 100 },
        { nameof(RaftDefects.LearnerCountedInQuorum), Simulation.Cluster, 40 },
    };

    [Theory]
    [MemberData(nameof(Variants))]
    public void A_broken_variant_fails_the_simulation_within_bounded_seeds(string variant, Simulation simulation, int maxSeeds)
    {
        var defect = Enum.Parse<RaftDefects>(variant);
        IReadOnlyList<int> seeds = int.TryParse(Environment.GetEnvironmentVariable("AKKAKV_SIMULATION_SEED"), NumberStyles.None, CultureInfo.InvariantCulture, out var only)
            ? [only]
            : [.. Enumerable.Range(1, maxSeeds)];
        if (int.TryParse(Environment.GetEnvironmentVariable("AKKAKV_BROKEN_VARIANT_SURVEY"), NumberStyles.None, CultureInfo.InvariantCulture, out var survey))
        {
            var failing = Enumerable.Range(1, survey).Where(seed => !Run(simulation, seed, defect).Passed).ToList();
            output.WriteLine($"{variant}: {failing.Count} of {survey} seeds fail: {string.Join(' ', failing.Take(40))}");
            Assert.NotEmpty(failing);
            return;
        }
        var watch = Stopwatch.StartNew();
        foreach (var seed in seeds)
        {
            var result = Run(simulation, seed, defect);
            if (!result.Passed)
            {
                output.WriteLine($"{variant}: seed {seed} of the {simulation.ToString().ToLowerInvariant()} simulation fails ({watch.Elapsed.TotalSeconds:F1}s)\n{result.Failure}");
                output.WriteLine($"replay: AKKAKV_SIMULATION_SEED={seed} dotnet test tests/AkkaKv.Simulation.Tests --filter \"FullyQualifiedName~BrokenVariantTests&DisplayName~{variant}\"");
                return;
            }
        }
        Assert.Fail($"{variant}: all {seeds.Count} seeds of the {simulation.ToString().ToLowerInvariant()} simulation passed — it no longer exposes this bug");
    }

    private static SimResult Run(Simulation simulation, int seed, RaftDefects defect) => simulation == Simulation.Group
        ? Simulator.Run(new SimOptions { Seed = seed, Replicas = seed % 4 == 3 ? 5 : 3, Quiescence = seed % 2 == 0, Defects = defect })
        : ClusterSimulator.Run(seed, quiescence: seed % 2 == 0, defect);
}
