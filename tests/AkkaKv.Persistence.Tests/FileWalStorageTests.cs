using AkkaKv.Persistence.Storage;
using AkkaKv.Persistence.Wal;
using static AkkaKv.Persistence.Tests.WalTestData;

namespace AkkaKv.Persistence.Tests;

/// <summary>The WAL on real files: fsync of files and the directory work here, and a reopen sees the data.</summary>
public sealed class FileWalStorageTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("akkakv-wal-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public async Task The_log_on_disk_survives_a_reopen_across_segments()
    {
        await using (var wal = NodeWal.Open(new FileWalStorage(_directory), SmallSegments))
        {
            for (ulong i = 1; i <= 300; i += 3)
            {
                await wal.AppendAsync(ShardA, Entries(i, i + 2));
            }
        }
        Assert.True(Directory.GetFiles(_directory, "*.wal").Length > 1);
        await using var reopened = NodeWal.Open(new FileWalStorage(_directory), SmallSegments);
        Assert.Equal(Entries(1, 300).Select(Text), ReadAllText(reopened, ShardA));
    }

    [Fact]
    public void A_rename_replaces_the_target_and_keeps_the_bytes()
    {
        var storage = new FileWalStorage(_directory);
        using (var file = storage.Open("a.tmp", create: true))
        {
            file.Write(0, "new"u8);
            file.Flush();
        }
        using (var old = storage.Open("b.wal", create: true))
        {
            old.Write(0, "older bytes"u8);
        }

        storage.Rename("a.tmp", "b.wal");
        storage.FlushDirectory();

        Assert.Equal(["b.wal"], storage.List());
        Assert.Equal("new"u8.ToArray(), File.ReadAllBytes(Path.Combine(_directory, "b.wal")));
    }
}
