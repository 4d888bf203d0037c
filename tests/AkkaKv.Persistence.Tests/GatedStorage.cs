using AkkaKv.Persistence.Storage;

namespace AkkaKv.Persistence.Tests;

/// <summary>Storage whose flushes can be held open, to line requests up behind an fsync in progress.</summary>
internal sealed class GatedStorage(IWalStorage inner) : IWalStorage, IDisposable
{
    private readonly ManualResetEventSlim _release = new(true);
    private readonly ManualResetEventSlim _held = new(false);

    public string Location => inner.Location;

    public void HoldFlushes()
    {
        _held.Reset();
        _release.Reset();
    }

    public void WaitUntilAFlushIsHeld() => Assert.True(_held.Wait(TimeSpan.FromSeconds(30)), "no flush started");

    public void ReleaseFlushes() => _release.Set();

    public void Dispose()
    {
        _release.Dispose();
        _held.Dispose();
    }

    public IReadOnlyList<string> List() => inner.List();

    public IWalFile Open(string name, bool create) => new GatedFile(inner.Open(name, create), this);

    public void Delete(string name) => inner.Delete(name);

    public void Rename(string from, string to) => inner.Rename(from, to);

    public void FlushDirectory() => inner.FlushDirectory();

    private sealed class GatedFile(IWalFile file, GatedStorage gate) : IWalFile
    {
        public string Name => file.Name;
        public long Length => file.Length;
        public void Write(long offset, ReadOnlySpan<byte> data) => file.Write(offset, data);
        public int Read(long offset, Span<byte> buffer) => file.Read(offset, buffer);
        public void Truncate(long length) => file.Truncate(length);
        public void Dispose() => file.Dispose();

        public void Flush()
        {
            gate._held.Set();
            gate._release.Wait(TimeSpan.FromSeconds(30));
            file.Flush();
        }
    }
}
