namespace AkkaKv.Persistence.Storage;

/// <summary>
/// The directory of the log. Production uses <see cref="FileWalStorage"/>; tests and the simulation use
/// <see cref="MemoryWalStorage"/>, which can lose unflushed writes on a simulated crash.
/// </summary>
public interface IWalStorage
{
    /// <summary>A description for messages (the directory path).</summary>
    string Location { get; }

    /// <summary>Names of the existing files, in no particular order.</summary>
    IReadOnlyList<string> List();

    /// <summary>Opens an existing file, or creates it when <paramref name="create"/> is set.</summary>
    IWalFile Open(string name, bool create);

    /// <summary>Deletes a file (durably: the directory entry is flushed).</summary>
    void Delete(string name);

    /// <summary>Renames a file, replacing any file named <paramref name="to"/>; durable once <see cref="FlushDirectory"/> returns.</summary>
    void Rename(string from, string to);

    /// <summary>Makes created, renamed and deleted file names durable (directory fsync).</summary>
    void FlushDirectory();
}
