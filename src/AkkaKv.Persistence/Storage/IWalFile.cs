namespace AkkaKv.Persistence.Storage;

/// <summary>
/// One file of the log as the WAL needs it: positional reads and writes, durability on demand, truncation. Writes
/// are not durable until <see cref="Flush"/> returns; a crash may lose any part of what was written since.
/// </summary>
public interface IWalFile : IDisposable
{
    /// <summary>The file's name within its storage.</summary>
    string Name { get; }

    /// <summary>Current length in bytes (including writes not yet flushed).</summary>
    long Length { get; }

    /// <summary>Writes <paramref name="data"/> at <paramref name="offset"/>.</summary>
    void Write(long offset, ReadOnlySpan<byte> data);

    /// <summary>Reads up to <paramref name="buffer"/>'s length at <paramref name="offset"/>; returns the bytes read.</summary>
    int Read(long offset, Span<byte> buffer);

    /// <summary>
    /// Makes every write so far durable, with the metadata needed to read it back such as the file's size (fdatasync
    /// where the system has it, else fsync); throws if the device reports an error.
    /// </summary>
    void Flush();

    /// <summary>Cuts the file to <paramref name="length"/> bytes, durably.</summary>
    void Truncate(long length);
}
