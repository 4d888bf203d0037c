using AkkaKv.TestKit.Linearizability;

namespace AkkaKv.Simulation.Tests;

/// <summary>The end of a simulation run: the final reads all succeeded, and the whole history is linearizable (kept on disk when not).</summary>
internal static class SimHistoryCheck
{
    /// <summary>Null when the history passes, otherwise why not; <paramref name="states"/> is the checker's search size.</summary>
    public static string? Failure(List<KvOperation> history, int finalReads, string name, out long states)
    {
        states = 0;
        var last = history.TakeLast(finalReads).ToList();
        if (last.Any(read => read.Status != KvOperationStatus.Ok))
        {
            return $"a final read did not succeed: {string.Join("; ", last)}";
        }
        var verdict = LinearizabilityChecker.Check(history);
        states = verdict.StatesExplored;
        if (verdict.IsLinearizable)
        {
            return null;
        }
        var path = Path.Combine(Path.GetTempPath(), $"{name}-history.jsonl");
        KvHistoryFile.Write(path, history);
        return $"history not linearizable: {verdict} (history kept in {path})";
    }
}
