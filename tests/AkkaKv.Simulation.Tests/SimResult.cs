namespace AkkaKv.Simulation.Tests;

/// <summary>The outcome of one simulation run.</summary>
/// <param name="Seed">The seed that replays the run.</param>
/// <param name="Failure">What went wrong, or null when every check passed.</param>
/// <param name="Summary">Counters of the run (for the test output).</param>
public sealed record SimResult(int Seed, string? Failure, string Summary)
{
    public bool Passed => Failure is null;

    /// <summary>Quiescing heartbeats delivered: how often a leader put its idle group to sleep.</summary>
    public long QuiescingHeartbeats { get; init; }
}
