using System.Reflection;
using System.Reflection.Metadata;
using System.Reflection.PortableExecutable;

namespace AkkaKv.Raft.Tests;

/// <summary>
/// The types and members an assembly references that reach threads, locks, tasks, sockets, files, processes or a
/// clock, or that make their own randomness, read from its metadata tables (type references and member references), as <c>Namespace.Type</c> or
/// <c>Namespace.Type::member</c>. A reference the compiler emits for a <c>lock</c>, an <c>await</c> or a field-like
/// event counts too: each is a thread hazard in a core that must run on one thread.
/// </summary>
internal static class ImpureReferences
{
    /// <summary>Every type in these namespaces (or below) is impure.</summary>
    private static readonly string[] ForbiddenNamespaces = ["System.Threading", "System.Net", "System.IO", "System.Timers", "System.Diagnostics.Tracing"];

    /// <summary>Whole types outside those namespaces that read time, randomness or the process.</summary>
    private static readonly HashSet<string> ForbiddenTypes =
    [
        "System.TimeProvider", "System.Environment", "System.GC", "System.Console", "System.AppDomain",
        "System.Diagnostics.Stopwatch", "System.Diagnostics.Process", "System.Diagnostics.Activity",
    ];

    /// <summary>
    /// Clock reads through types that are otherwise plain values, and randomness made rather than injected (the core
    /// draws from the <see cref="Random"/> its host gives it, so a seed replays a run).
    /// </summary>
    private static readonly HashSet<string> ForbiddenMembers =
    [
        "System.Random::.ctor", "System.Random::get_Shared",
        "System.DateTime::get_Now", "System.DateTime::get_UtcNow", "System.DateTime::get_Today",
        "System.DateTimeOffset::get_Now", "System.DateTimeOffset::get_UtcNow",
    ];

    public static IReadOnlyList<string> Of(Assembly assembly)
    {
        using var stream = File.OpenRead(assembly.Location);
        using var pe = new PEReader(stream);
        var metadata = pe.GetMetadataReader();
        var found = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var handle in metadata.TypeReferences)
        {
            var name = FullName(metadata, handle);
            if (IsForbiddenType(name))
            {
                found.Add(name);
            }
        }
        foreach (var handle in metadata.MemberReferences)
        {
            var member = metadata.GetMemberReference(handle);
            if (member.Parent.Kind != HandleKind.TypeReference)
            {
                continue;
            }
            var qualified = $"{FullName(metadata, (TypeReferenceHandle)member.Parent)}::{metadata.GetString(member.Name)}";
            if (ForbiddenMembers.Contains(qualified))
            {
                found.Add(qualified);
            }
        }
        return [.. found];
    }

    private static bool IsForbiddenType(string name) =>
        ForbiddenTypes.Contains(name) ||
        ForbiddenNamespaces.Any(space => name.StartsWith(space + ".", StringComparison.Ordinal));

    /// <summary>A nested type is named by its outermost type's namespace and name, then each nesting level.</summary>
    private static string FullName(MetadataReader metadata, TypeReferenceHandle handle)
    {
        var type = metadata.GetTypeReference(handle);
        var name = metadata.GetString(type.Name);
        if (type.ResolutionScope.Kind == HandleKind.TypeReference)
        {
            return $"{FullName(metadata, (TypeReferenceHandle)type.ResolutionScope)}+{name}";
        }
        var space = metadata.GetString(type.Namespace);
        return space.Length == 0 ? name : $"{space}.{name}";
    }
}
