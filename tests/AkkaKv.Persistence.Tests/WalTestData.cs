using System.Text;
using AkkaKv.Persistence.Wal;

namespace AkkaKv.Persistence.Tests;

/// <summary>Helpers shared by the WAL tests.</summary>
internal static class WalTestData
{
    public static readonly ShardId ShardA = new(1);
    public static readonly ShardId ShardB = new(2);

    public static JournalEntry Entry(ulong index, ulong term = 1, string? text = null) =>
        new(new LogIndex(index), new Term(term), Encoding.UTF8.GetBytes(text ?? $"value-{index}-t{term}"));

    public static JournalEntry[] Entries(ulong from, ulong to, ulong term = 1) =>
        [.. Enumerable.Range((int)from, (int)(to - from + 1)).Select(i => Entry((ulong)i, term))];

    public static string Text(JournalEntry entry) => Encoding.UTF8.GetString(entry.Payload.Span);

    public static string[] ReadAllText(IJournal journal, ShardId shard)
    {
        var bounds = journal.Bounds(shard);
        return bounds.IsEmpty ? [] : [.. journal.Read(shard, bounds.First, bounds.Last).Select(Text)];
    }

    /// <summary>Small segments so tests cross segment boundaries quickly.</summary>
    public static WalOptions SmallSegments => new() { SegmentBytes = 4096, CacheBytes = 0 };
}
