namespace AkkaKv.Simulation.Tests;

/// <summary>Finds the shared test vectors: <c>AKKAKV_TESTDATA</c>, or a <c>shared/testdata</c> beside an ancestor of the test binaries.</summary>
internal static class TestData
{
    public static string HistoriesDirectory { get; } = Path.Combine(Locate(), "histories");

    private static string Locate()
    {
        if (Environment.GetEnvironmentVariable("AKKAKV_TESTDATA") is { Length: > 0 } configured)
        {
            return configured;
        }
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            var candidate = Path.Combine(directory.FullName, "shared", "testdata");
            if (Directory.Exists(candidate))
            {
                return candidate;
            }
        }
        throw new DirectoryNotFoundException(
            "shared/testdata not found beside any ancestor of " + AppContext.BaseDirectory + "; set AKKAKV_TESTDATA to its path");
    }
}
