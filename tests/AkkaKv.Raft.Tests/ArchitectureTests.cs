namespace AkkaKv.Raft.Tests;

/// <summary>
/// The Raft core stays pure: it references only the BCL, AkkaKv.Core and logging abstractions, so it cannot
/// reach a clock, a thread, a socket or a file by accident. Method: inspect the assembly's references.
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
}
