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

    public void Rename(string from, string to)
    {
        lock (_lock)
        {
            if (!_files.Remove(from, out var file))
            {
                throw new FileNotFoundException($"No file '{from}' in memory storage.", from);
            }
            file.Name = to;
            _files[to] = file;
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
    /// <paramref name="random"/>, part of what was written since (a torn write): of bytes appended past the flushed
    /// end, a random prefix (the file's size only grows once the data before it is down); of bytes overwritten
    /// inside it, each sector independently new or old, in no order. This instance is the dead process's view and
    /// keeps accepting writes that no longer matter.
    /// </summary>
    public MemoryWalStorage PowerCut(Random? random = null)
    {
        var image = new MemoryWalStorage();
        lock (_lock)
        {
            foreach (var (name, file) in _files)
            {
                var content = random is null ? [.. file.Durable] : TornImage(file, random);
                image._files[name] = new MemoryFile(image, name) { Written = [.. content], Durable = [.. content] };
            }
        }
        return image;
    }

    private static List<byte> TornImage(MemoryFile file, Random random)
    {
        var durable = file.Durable.Count;
        var overwritten = Math.Min(durable, file.Written.Count);
        var firstChange = 0;
        while (firstChange < overwritten && file.Written[firstChange] == file.Durable[firstChange])
        {
            firstChange++;
        }
        var content = new List<byte>(file.Durable);
        for (var sector = firstChange / DiskSector.Size * DiskSector.Size; sector < overwritten; sector += DiskSector.Size)
        {
            if (random.Next(2) == 0)
            {
                for (var i = sector; i < Math.Min(sector + DiskSector.Size, overwritten); i++)
                {
                    content[i] = file.Written[i];
                }
            }
        }
        if (file.Written.Count > durable)
        {
            var appended = random.Next(file.Written.Count - durable + 1);
            content.AddRange(file.Written.GetRange(durable, appended));
        }
        return content;
    }

    private sealed class MemoryFile(MemoryWalStorage owner, string name) : IWalFile
    {
        public List<byte> Written { get; set; } = [];

        public List<byte> Durable { get; set; } = [];

        public string Name { get; set; } = name;

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
                    throw new IOException($"simulated fsync failure on '{Name}'");
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
