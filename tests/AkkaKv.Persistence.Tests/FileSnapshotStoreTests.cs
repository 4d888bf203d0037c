using AkkaKv.Persistence.Snapshots;

namespace AkkaKv.Persistence.Tests;

/// <summary>
/// Snapshots: written atomically (an unfinished one is never visible), checksum-verified on load with a fallback
/// to an older intact one, pruned to the retention count, streamed. Method: real files in a temporary directory.
/// </summary>
public sealed class FileSnapshotStoreTests : IDisposable
{
    private static readonly ShardId Shard = new(7);
    private readonly string _directory = Directory.CreateTempSubdirectory("akkakv-snapshots-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private static SnapshotMetadata At(ulong index, ulong term = 1) => new(Shard, new LogIndex(index), new Term(term));

    private static async Task Write(FileSnapshotStore store, SnapshotMetadata metadata, byte[] content)
    {
        await using var writer = store.BeginWrite(metadata);
        await writer.Content.WriteAsync(content);
        await writer.CompleteAsync();
    }

    private static byte[] ReadContent(SnapshotReader reader)
    {
        using var copy = new MemoryStream();
        reader.Content.CopyTo(copy);
        return copy.ToArray();
    }

    [Fact]
    public async Task A_completed_snapshot_is_loaded_back_exactly()
    {
        var store = new FileSnapshotStore(_directory);
        var content = Enumerable.Range(0, 300_000).Select(i => (byte)(i * 31)).ToArray();
        await Write(store, At(42, 3), content);
        using var reader = store.OpenLatest(Shard)!;
        Assert.Equal(At(42, 3), reader.Metadata);
        Assert.Equal(content, ReadContent(reader));
    }

    [Fact]
    public async Task An_unfinished_snapshot_is_invisible_and_cleaned_up_on_restart()
    {
        var store = new FileSnapshotStore(_directory);
        await Write(store, At(10), [1, 2, 3]);
        var unfinished = store.BeginWrite(At(20));
        await unfinished.Content.WriteAsync(new byte[] { 9, 9, 9 });
        Assert.Equal(At(10), store.OpenLatest(Shard)!.Metadata);
        // The process dies here: the temporary file stays until the next start.
        var restarted = new FileSnapshotStore(_directory);
        Assert.Empty(Directory.EnumerateFiles(_directory, "*.tmp", SearchOption.AllDirectories));
        using var reader = restarted.OpenLatest(Shard)!;
        Assert.Equal(At(10), reader.Metadata);
        await unfinished.DisposeAsync();
    }

    [Fact]
    public async Task A_damaged_newest_snapshot_falls_back_to_the_older_intact_one()
    {
        var store = new FileSnapshotStore(_directory, retain: 3);
        await Write(store, At(10), [1, 2, 3, 4]);
        await Write(store, At(20), [5, 6, 7, 8]);
        var newest = Directory.EnumerateFiles(_directory, "*.snap", SearchOption.AllDirectories).Max()!;
        var bytes = await File.ReadAllBytesAsync(newest);
        bytes[50] ^= 0xFF;
        await File.WriteAllBytesAsync(newest, bytes);
        using var reader = store.OpenLatest(Shard)!;
        Assert.Equal(At(10), reader.Metadata);
        Assert.Equal([1, 2, 3, 4], ReadContent(reader));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(10)]
    [InlineData(47)]
    [InlineData(60)]
    [InlineData(68)]
    public async Task Truncated_snapshot_files_are_rejected(int keepBytes)
    {
        var store = new FileSnapshotStore(_directory);
        await Write(store, At(10), new byte[100]);
        var file = Directory.EnumerateFiles(_directory, "*.snap", SearchOption.AllDirectories).Single();
        var bytes = await File.ReadAllBytesAsync(file);
        await File.WriteAllBytesAsync(file, bytes[..keepBytes]);
        Assert.Null(store.OpenLatest(Shard));
    }

    [Fact]
    public async Task Only_the_newest_snapshots_are_kept_and_delete_all_removes_a_shard()
    {
        var store = new FileSnapshotStore(_directory, retain: 2);
        for (ulong i = 1; i <= 5; i++)
        {
            await Write(store, At(i * 10), [(byte)i]);
        }
        Assert.Equal([At(50), At(40)], store.List(Shard));
        store.DeleteAll(Shard);
        Assert.Empty(store.List(Shard));
        Assert.Null(store.OpenLatest(Shard));
    }
}
