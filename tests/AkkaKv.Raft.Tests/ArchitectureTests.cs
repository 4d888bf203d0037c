using AkkaKv.Persistence.Wal;

namespace AkkaKv.Raft.Tests;

/// <summary>
/// The Raft core stays pure: it references only the BCL, AkkaKv.Core and logging abstractions, and of the BCL no type
/// that reaches a thread, a lock, a task, a socket, a file or a clock — so the core cannot block, race or read time by
/// accident, and the simulation that drives it on virtual time sees everything it does. Method: read the assembly's
/// metadata (every type and member it references), not its source.
/// </summary>
public sealed class ArchitectureTests
{
    [Fact]
    public void The_core_references_only_the_BCL_AkkaKv_Core_and_logging_abstractions()
    {
        var references = typeof(RaftNode).Assembly.GetReferencedAssemblies().Select(name => name.Name!).ToList();
        var allowed = references.Where(name =>
            name.StartsWith("System", StringComparison.Ordinal) ||
            name is "netstandard" or "AkkaKv.Core" or "Microsoft.Extensions.Logging.Abstractions");
        Assert.Equal(references, allowed);
        Assert.Contains("AkkaKv.Core", references);
    }

    [Fact]
    public void The_core_uses_no_thread_lock_task_socket_file_or_clock()
    {
        var violations = ImpureReferences.Of(typeof(RaftNode).Assembly);

        Assert.True(violations.Count == 0, "the Raft core references: " + string.Join(", ", violations));
    }

    [Fact]
    public void The_check_finds_threads_files_and_clocks_where_they_are_used()
    {
        // The WAL writes files from a flusher thread and times its flushes: the same check must name all three.
        var violations = ImpureReferences.Of(typeof(NodeWal).Assembly);

        Assert.Contains(violations, reference => reference.StartsWith("System.Threading.", StringComparison.Ordinal));
        Assert.Contains(violations, reference => reference.StartsWith("System.IO.File", StringComparison.Ordinal));
        Assert.Contains(violations, reference => reference.StartsWith("System.Diagnostics.Stopwatch", StringComparison.Ordinal) || reference.StartsWith("System.TimeProvider", StringComparison.Ordinal));
    }

    [Fact]
    public void The_check_names_a_clock_read_and_randomness_made_through_otherwise_harmless_types()
    {
        // DateTime is a plain value, reading DateTime.UtcNow is a clock; a Random passed in is fine, one made is not.
        // This assembly (the tests) does both below.
        _ = DateTime.UtcNow;
        _ = new Random(1);

        var violations = ImpureReferences.Of(typeof(ArchitectureTests).Assembly);

        Assert.Contains("System.DateTime::get_UtcNow", violations);
        Assert.Contains("System.Random::.ctor", violations);
    }
}
