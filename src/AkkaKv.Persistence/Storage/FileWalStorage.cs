using Microsoft.Win32.SafeHandles;

namespace AkkaKv.Persistence.Storage;

/// <summary>The log in a directory of real files; <see cref="IWalFile.Flush"/> is an fdatasync on Linux, an fsync elsewhere.</summary>
public sealed class FileWalStorage : IWalStorage
{
    /// <summary>Storage in <paramref name="directory"/>, created if missing.</summary>
    public FileWalStorage(string directory)
    {
        Location = Path.GetFullPath(directory);
        Directory.CreateDirectory(Location);
    }

    public string Location { get; }

    public IReadOnlyList<string> List() =>
        [.. Directory.GetFiles(Location).Select(path => Path.GetFileName(path))];

    public IWalFile Open(string name, bool create) => new File(Path.Combine(Location, name), create);

    public void Delete(string name)
    {
        System.IO.File.Delete(Path.Combine(Location, name));
        FlushDirectory();
    }

    public void Rename(string from, string to) =>
        System.IO.File.Move(Path.Combine(Location, from), Path.Combine(Location, to), overwrite: true);

    public void FlushDirectory()
    {
        if (OperatingSystem.IsWindows())
        {
            return; // NTFS journals directory entries; there is no directory handle to flush.
        }
        DirectorySync.Flush(Location);
    }

    private sealed class File : IWalFile
    {
        private readonly SafeFileHandle _handle;

        public File(string path, bool create)
        {
            Name = Path.GetFileName(path);
            _handle = System.IO.File.OpenHandle(path, create ? FileMode.OpenOrCreate : FileMode.Open, FileAccess.ReadWrite, FileShare.Read);
        }

        public string Name { get; }

        public long Length => RandomAccess.GetLength(_handle);

        public void Write(long offset, ReadOnlySpan<byte> data) => RandomAccess.Write(_handle, data, offset);

        public int Read(long offset, Span<byte> buffer)
        {
            var total = 0;
            while (total < buffer.Length)
            {
                var read = RandomAccess.Read(_handle, buffer[total..], offset + total);
                if (read == 0)
                {
                    break;
                }
                total += read;
            }
            return total;
        }

        public void Flush() => DirectorySync.FlushFileData(_handle);

        public void Truncate(long length)
        {
            RandomAccess.SetLength(_handle, length);
            DirectorySync.FlushFile(_handle);
        }

        public void Dispose() => _handle.Dispose();
    }
}
