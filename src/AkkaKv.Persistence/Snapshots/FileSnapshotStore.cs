using System.Buffers;
using System.Buffers.Binary;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace AkkaKv.Persistence.Snapshots;

/// <summary>
/// Snapshots as files, one directory per shard under the node's data directory; keeps the newest
/// <c>retain</c> complete snapshots per shard. Leftover temporary files (a crash mid-write) are deleted on start.
/// </summary>
public sealed partial class FileSnapshotStore : ISnapshotStore
{
    private readonly string _root;
    private readonly int _retain;
    private readonly ILogger _log;

    /// <summary>A store in <paramref name="root"/> keeping <paramref name="retain"/> snapshots per shard.</summary>
    public FileSnapshotStore(string root, int retain = 2, ILogger? logger = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(retain, 1);
        _root = Path.GetFullPath(root);
        _retain = retain;
        _log = logger ?? NullLogger.Instance;
        Directory.CreateDirectory(_root);
        foreach (var leftover in Directory.EnumerateFiles(_root, "*" + SnapshotFormat.TemporaryExtension, SearchOption.AllDirectories))
        {
            File.Delete(leftover);
        }
    }

    public SnapshotWriter BeginWrite(SnapshotMetadata metadata)
    {
        var directory = SnapshotFormat.ShardDirectory(_root, metadata.Shard);
        Directory.CreateDirectory(directory);
        return new SnapshotWriter(metadata, directory, () => Prune(metadata.Shard));
    }

    public IReadOnlyList<SnapshotMetadata> List(ShardId shard)
    {
        var directory = SnapshotFormat.ShardDirectory(_root, shard);
        if (!Directory.Exists(directory))
        {
            return [];
        }
        return [.. Directory.EnumerateFiles(directory, "*" + SnapshotFormat.Extension)
            .Select(path => SnapshotFormat.TryParseFileName(shard, Path.GetFileName(path), out var metadata) ? metadata : (SnapshotMetadata?)null)
            .OfType<SnapshotMetadata>()
            .OrderByDescending(metadata => metadata.Index)
            .ThenByDescending(metadata => metadata.Term)];
    }

    public SnapshotReader? OpenLatest(ShardId shard)
    {
        foreach (var metadata in List(shard))
        {
            var path = Path.Combine(SnapshotFormat.ShardDirectory(_root, shard), SnapshotFormat.FileName(metadata));
            var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 64 * 1024);
            var problem = Verify(file, metadata, out var contentLength);
            if (problem is null)
            {
                return new SnapshotReader(metadata, file, contentLength);
            }
            file.Dispose();
            LogDamagedSnapshot(_log, path, problem);
        }
        return null;
    }

    public void DeleteAll(ShardId shard)
    {
        var directory = SnapshotFormat.ShardDirectory(_root, shard);
        if (Directory.Exists(directory))
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    /// <summary>Checks header, trailer and the content's checksum in one streaming pass; returns the problem or null.</summary>
    private static string? Verify(FileStream file, SnapshotMetadata metadata, out long contentLength)
    {
        contentLength = file.Length - SnapshotFormat.HeaderSize - SnapshotFormat.TrailerSize;
        if (contentLength < 0)
        {
            return $"file of {file.Length} bytes is shorter than a header and trailer";
        }
        Span<byte> header = stackalloc byte[SnapshotFormat.HeaderSize];
        file.Position = 0;
        file.ReadExactly(header);
        if (SnapshotFormat.CheckHeader(header, metadata) is { } headerProblem)
        {
            return headerProblem;
        }
        Span<byte> trailer = stackalloc byte[SnapshotFormat.TrailerSize];
        file.Position = file.Length - SnapshotFormat.TrailerSize;
        file.ReadExactly(trailer);
        if (!trailer[12..].SequenceEqual(SnapshotFormat.EndMagic))
        {
            return "no end marker: the file is incomplete";
        }
        var storedLength = BinaryPrimitives.ReadUInt64LittleEndian(trailer);
        var storedCrc = BinaryPrimitives.ReadUInt32LittleEndian(trailer[8..]);
        if (storedLength != (ulong)contentLength)
        {
            return $"trailer records {storedLength} content bytes but the file holds {contentLength}";
        }
        file.Position = SnapshotFormat.HeaderSize;
        var buffer = ArrayPool<byte>.Shared.Rent(64 * 1024);
        try
        {
            uint crc = 0;
            var left = contentLength;
            while (left > 0)
            {
                var read = file.Read(buffer, 0, (int)Math.Min(buffer.Length, left));
                if (read == 0)
                {
                    return "unexpected end of file";
                }
                crc = Crc32C.Append(crc, buffer.AsSpan(0, read));
                left -= read;
            }
            return crc == storedCrc ? null : $"content checksum mismatch (stored {storedCrc:x8}, computed {crc:x8})";
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private void Prune(ShardId shard)
    {
        foreach (var old in List(shard).Skip(_retain))
        {
            File.Delete(Path.Combine(SnapshotFormat.ShardDirectory(_root, shard), SnapshotFormat.FileName(old)));
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Snapshot {Path} is damaged ({Problem}); trying an older one")]
    private static partial void LogDamagedSnapshot(ILogger logger, string path, string problem);
}
