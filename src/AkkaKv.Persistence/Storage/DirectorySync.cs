using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace AkkaKv.Persistence.Storage;

/// <summary>
/// fsync and fdatasync for files, fsync for directories. .NET can flush a file it opened but cannot open a directory, and a new or
/// renamed file is only durable once its directory entry is: on Unix the directory is opened and fsynced directly.
/// </summary>
internal static partial class DirectorySync
{
    private const int ReadOnly = 0;

    /// <summary>Makes the file's data durable; throws <see cref="IOException"/> when the device reports an error.</summary>
    public static void FlushFile(SafeFileHandle handle)
    {
        if (OperatingSystem.IsWindows())
        {
            using var stream = new FileStream(handle, FileAccess.ReadWrite, bufferSize: 0);
            stream.Flush(flushToDisk: true);
            return;
        }
        if (Fsync(handle) != 0)
        {
            throw new IOException($"fsync failed: {Marshal.GetLastPInvokeErrorMessage()}");
        }
    }

    /// <summary>
    /// Makes the file's data durable with only the metadata needed to read it (its size), not its times: on Linux an
    /// fdatasync, which for a write over already allocated blocks skips the filesystem journal; elsewhere an fsync.
    /// </summary>
    public static void FlushFileData(SafeFileHandle handle)
    {
        if (!OperatingSystem.IsLinux())
        {
            FlushFile(handle);
            return;
        }
        if (Fdatasync(handle) != 0)
        {
            throw new IOException($"fdatasync failed: {Marshal.GetLastPInvokeErrorMessage()}");
        }
    }

    /// <summary>Makes the entries of <paramref name="directory"/> durable.</summary>
    public static void Flush(string directory)
    {
        if (OperatingSystem.IsWindows())
        {
            return;
        }
        var descriptor = Open(directory, ReadOnly);
        if (descriptor < 0)
        {
            throw new IOException($"cannot open directory '{directory}' to fsync it: {Marshal.GetLastPInvokeErrorMessage()}");
        }
        try
        {
            if (FsyncDescriptor(descriptor) != 0)
            {
                throw new IOException($"fsync of directory '{directory}' failed: {Marshal.GetLastPInvokeErrorMessage()}");
            }
        }
        finally
        {
            _ = Close(descriptor);
        }
    }

    [LibraryImport("libc", EntryPoint = "fsync", SetLastError = true)]
    private static partial int Fsync(SafeFileHandle handle);

    [LibraryImport("libc", EntryPoint = "fdatasync", SetLastError = true)]
    private static partial int Fdatasync(SafeFileHandle handle);

    [LibraryImport("libc", EntryPoint = "fsync", SetLastError = true)]
    private static partial int FsyncDescriptor(int descriptor);

    [LibraryImport("libc", EntryPoint = "open", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int Open(string path, int flags);

    [LibraryImport("libc", EntryPoint = "close", SetLastError = true)]
    private static partial int Close(int descriptor);
}
