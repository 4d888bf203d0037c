namespace AkkaKv.Persistence.Wal;

/// <summary>
/// The log is damaged somewhere other than the tail of its last segment, so recovering would silently lose
/// acknowledged writes. The node must not start; <c>docs/persistence.md</c> describes the repair.
/// </summary>
public sealed class WalCorruptionException : IOException
{
    public WalCorruptionException() { }

    public WalCorruptionException(string message) : base(message) { }

    public WalCorruptionException(string message, Exception innerException) : base(message, innerException) { }

    /// <summary>Damage in <paramref name="file"/> at <paramref name="offset"/>.</summary>
    public WalCorruptionException(string file, long offset, string problem)
        : base($"write-ahead log corrupt in {file} at offset {offset}: {problem}. The node will not start: see docs/persistence.md (\"Repairing a damaged log\").")
    {
        File = file;
        Offset = offset;
    }

    /// <summary>The damaged file.</summary>
    public string? File { get; }

    /// <summary>The byte offset of the damaged record.</summary>
    public long Offset { get; }
}
