using System.Buffers.Binary;
using AkkaKv.Persistence.Storage;

namespace AkkaKv.Persistence.Snapshots;

/// <summary>
/// A snapshot being written. Stream the state into <see cref="Content"/> (nothing is held in memory); then
/// <see cref="CompleteAsync"/> writes the trailer, fsyncs, renames the temporary file into place, fsyncs the
/// directory and prunes old snapshots. Disposing without completing deletes the temporary file.
/// </summary>
public sealed class SnapshotWriter : IAsyncDisposable
{
    private readonly FileStream _file;
    private readonly ChecksumStream _content;
    private readonly string _temporaryPath;
    private readonly string _finalPath;
    private readonly Action _afterComplete;
    private bool _completed;

    internal SnapshotWriter(SnapshotMetadata metadata, string directory, Action afterComplete)
    {
        Metadata = metadata;
        _finalPath = Path.Combine(directory, SnapshotFormat.FileName(metadata));
        _temporaryPath = _finalPath + SnapshotFormat.TemporaryExtension;
        _afterComplete = afterComplete;
        _file = new FileStream(_temporaryPath, FileMode.Create, FileAccess.Write, FileShare.None, bufferSize: 64 * 1024);
        Span<byte> header = stackalloc byte[SnapshotFormat.HeaderSize];
        SnapshotFormat.WriteHeader(header, metadata);
        _file.Write(header);
        _content = new ChecksumStream(_file);
    }

    /// <summary>What this snapshot covers.</summary>
    public SnapshotMetadata Metadata { get; }

    /// <summary>Where the state is written.</summary>
    public Stream Content => _content;

    /// <summary>Makes the snapshot durable and visible; older ones beyond the retention count are deleted.</summary>
    public Task CompleteAsync(CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        Complete();
        return Task.CompletedTask;
    }

    /// <summary>The synchronous form of <see cref="CompleteAsync"/>, for callers that must not await (actors).</summary>
    public void Complete()
    {
        ObjectDisposedException.ThrowIf(_completed, this);
        Span<byte> trailer = stackalloc byte[SnapshotFormat.TrailerSize];
        BinaryPrimitives.WriteUInt64LittleEndian(trailer, (ulong)_content.Length);
        BinaryPrimitives.WriteUInt32LittleEndian(trailer[8..], _content.Crc);
        SnapshotFormat.EndMagic.CopyTo(trailer[12..]);
        _file.Write(trailer);
        _file.Flush(flushToDisk: true);
        _file.Dispose();
        File.Move(_temporaryPath, _finalPath, overwrite: true);
        DirectorySync.Flush(Path.GetDirectoryName(_finalPath)!);
        _completed = true;
        _afterComplete();
    }

    /// <summary>Abandons an unfinished snapshot (synchronous <see cref="DisposeAsync"/>).</summary>
    public void Abandon()
    {
        if (_completed)
        {
            return;
        }
        _completed = true;
        _file.Dispose();
        File.Delete(_temporaryPath);
    }

    public async ValueTask DisposeAsync()
    {
        if (_completed)
        {
            return;
        }
        _completed = true;
        await _file.DisposeAsync().ConfigureAwait(false);
        File.Delete(_temporaryPath);
    }
}
