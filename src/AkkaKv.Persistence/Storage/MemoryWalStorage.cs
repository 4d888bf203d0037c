namespace AkkaKv.Persistence.Storage;

/// <summary>
/// The log in memory, for tests and simulation. It remembers what was flushed: <see cref="PowerCut"/> throws away
/// every write since each file's last flush (optionally keeping a torn prefix of it), as a power cut would.
/// Thread-safe.
/// </summary>
public sealed class MemoryWalStorage : IWalStorage
{
    private readonly Lock _lock = new();
    private readonly Dictionary<string, MemoryFile> _files = new(StringComparer.Ordinal);

    public string Location => "memory";

    /// <summary>When set, the next flush of any file fails as an fsync error would (then the flag clears).</summary>
    public bool FailNextFlush { get; set; }

    public IReadOnlyList<string> List()
    {
        lock (_lock)
        {
            return [.. _files.Keys];
        }
    }

    public IWalFile Open(string name, bool create)
    {
        lock (_lock)
        {
            if (!_files.TryGetValue(name, out var file))
            {
                if (!create)
                {
                    throw new FileNotFoundException($"No file '{name}' in memory storage.", name);
                }
                _files[name] = file = new MemoryFile(this, name);
            }
            return file;
        }
    }

    public void Delete(string name)
    {
        lock (_lock)
        {
            _files.Remove(name);
        }
    }

    public void FlushDirectory() { }

    /// <summary>The current (not necessarily durable) bytes of a file.</summary>
    public byte[] ReadAll(string name)
    {
        lock (_lock)
        {
            return [.. _files[name].Written];
        }
    }

    /// <summary>Replaces a file's bytes, durably (to stage corruption in tests).</summary>
    public void Overwrite(string name, byte[] content)
    {
        lock (_lock)
        {
            var file = _files.TryGetValue(name, out var existing) ? existing : _files[name] = new MemoryFile(this, name);
            file.Written = [.. content];
            file.Durable = [.. content];
        }
    }

    /// <summary>
    /// The disk as a power cut leaves it: a new storage holding only what was flushed, plus, with
    /// <paramref name="random"/>, a random prefix of each file's unflushed tail (a torn write). This instance is the
    /// dead process's view and keeps accepting writes that no longer matter.
    /// </summary>
    public MemoryWalStorage PowerCut(Random? random = null)
    {
        var image = new MemoryWalStorage();
        lock (_lock)
        {
            foreach (var (name, file) in _files)
            {
                var keep = file.Durable.Count;
                if (random is not null && file.Written.Count > keep && SharesPrefix(file))
                {
                    keep += random.Next(file.Written.Count - keep + 1);
                }
                var content = keep <= file.Durable.Count ? file.Durable : file.Written.GetRange(0, keep);
                image._files[name] = new MemoryFile(image, name) { Written = [.. content], Durable = [.. content] };
            }
        }
        return image;
    }

    private static bool SharesPrefix(MemoryFile file)
    {
        for (var i = 0; i < file.Durable.Count; i++)
        {
            if (file.Written[i] != file.Durable[i])
            {
                return false;
            }
        }
        return true;
    }

    private sealed class MemoryFile(MemoryWalStorage owner, string name) : IWalFile
    {
        public List<byte> Written { get; set; } = [];

        public List<byte> Durable { get; set; } = [];

        public string Name => name;

        public long Length
        {
            get
            {
                lock (owner._lock)
                {
                    return Written.Count;
                }
            }
        }

        public void Write(long offset, ReadOnlySpan<byte> data)
        {
            lock (owner._lock)
            {
                while (Written.Count < offset)
                {
                    Written.Add(0);
                }
                for (var i = 0; i < data.Length; i++)
                {
                    var position = (int)offset + i;
                    if (position < Written.Count)
                    {
                        Written[position] = data[i];
                    }
                    else
                    {
                        Written.Add(data[i]);
                    }
                }
            }
        }

        public int Read(long offset, Span<byte> buffer)
        {
            lock (owner._lock)
            {
                var available = Math.Max(0, Math.Min(buffer.Length, Written.Count - (int)offset));
                for (var i = 0; i < available; i++)
                {
                    buffer[i] = Written[(int)offset + i];
                }
                return available;
            }
        }

        public void Flush()
        {
            lock (owner._lock)
            {
                if (owner.FailNextFlush)
                {
                    owner.FailNextFlush = false;
                    throw new IOException($"simulated fsync failure on '{name}'");
                }
                Durable = [.. Written];
            }
        }

        public void Truncate(long length)
        {
            lock (owner._lock)
            {
                Written = Written.GetRange(0, (int)Math.Min(length, Written.Count));
                Durable = [.. Written];
            }
        }

        public void Dispose() { }
    }
}
