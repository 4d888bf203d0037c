namespace AkkaKv.Store;

/// <summary>
/// Snapshots of the state machine, streamed: <c>magic "AKKVKV01" | applied index | key count | (key, version,
/// value)* in key order | idempotency count | (key, timestamp, result)* in insertion order</c>. The same state always
/// gives the same bytes.
/// </summary>
public sealed partial class KvStateMachine
{
    private static ReadOnlySpan<byte> SnapshotMagic => "AKKVKV01"u8;
    private const int MaxSnapshotKeyBytes = 64 * 1024;
    private const int MaxSnapshotValueBytes = 1024 * 1024 * 1024;

    /// <summary>Writes the whole state to <paramref name="destination"/>.</summary>
    public void WriteSnapshot(Stream destination)
    {
        ArgumentNullException.ThrowIfNull(destination);
        destination.Write(SnapshotMagic);
        KvBinary.WriteUInt64(destination, AppliedIndex.Value);
        KvBinary.WriteUInt64(destination, (ulong)_data.Count);
        foreach (var (key, value) in _data.InOrder())
        {
            KvBinary.WriteString(destination, key);
            KvBinary.WriteUInt64(destination, value.Version.Value);
            KvBinary.WriteBytes(destination, value.Value.Span);
        }
        KvBinary.WriteUInt64(destination, (ulong)Idempotency.Count);
        foreach (var (key, result, timestamp) in Idempotency.Entries())
        {
            KvBinary.WriteString(destination, key);
            KvBinary.WriteUInt64(destination, (ulong)timestamp);
            var (code, version) = result switch
            {
                KvResult.Written written => (1, written.Version.Value),
                KvResult.Deleted => (2, 0UL),
                KvResult.NotFound => (3, 0UL),
                KvResult.ConditionFailed { CurrentVersion: { } current } => (4, current.Value),
                KvResult.ConditionFailed => (5, 0UL),
                _ => throw new InvalidOperationException($"Unknown result {result}"),
            };
            destination.WriteByte((byte)code);
            KvBinary.WriteUInt64(destination, version);
        }
    }

    /// <summary>Replaces the whole state with the snapshot in <paramref name="source"/>; throws <see cref="InvalidDataException"/> when malformed.</summary>
    public void RestoreSnapshot(Stream source)
    {
        ArgumentNullException.ThrowIfNull(source);
        try
        {
            Span<byte> magic = stackalloc byte[8];
            source.ReadExactly(magic);
            if (!magic.SequenceEqual(SnapshotMagic))
            {
                throw new InvalidDataException("not a key-value snapshot (bad magic)");
            }
            var applied = new LogIndex(KvBinary.ReadUInt64(source));
            var count = KvBinary.ReadUInt64(source);
            if (count > int.MaxValue)
            {
                throw new InvalidDataException($"a snapshot of {count} keys");
            }
            var keys = new List<string>((int)Math.Min(count, 1_000_000));
            var values = new List<KvValue>(keys.Capacity);
            var keyBuffer = new byte[MaxSnapshotKeyBytes]; // one buffer for every key, instead of an array per key
            for (ulong i = 0; i < count; i++)
            {
                var key = KvBinary.ReadString(source, keyBuffer);
                if (keys.Count > 0 && string.CompareOrdinal(keys[^1], key) >= 0)
                {
                    throw new InvalidDataException($"snapshot keys out of order at key {i}");
                }
                var version = new LogIndex(KvBinary.ReadUInt64(source));
                keys.Add(key);
                values.Add(new KvValue(KvBinary.ReadBytes(source, MaxSnapshotValueBytes), version));
            }
            var data = OrderedMap<KvValue>.FromSorted([.. keys], [.. values]);
            var results = new List<(string, KvResult, long)>();
            var remembered = KvBinary.ReadUInt64(source);
            for (ulong i = 0; i < remembered; i++)
            {
                var key = KvBinary.ReadString(source, MaxSnapshotKeyBytes);
                var timestamp = (long)KvBinary.ReadUInt64(source);
                var code = source.ReadByte();
                var version = new LogIndex(KvBinary.ReadUInt64(source));
                KvResult result = code switch
                {
                    1 => new KvResult.Written(version),
                    2 => new KvResult.Deleted(),
                    3 => new KvResult.NotFound(),
                    4 => new KvResult.ConditionFailed(version),
                    5 => new KvResult.ConditionFailed(null),
                    _ => throw new InvalidDataException($"unknown result code {code}"),
                };
                results.Add((key, result, timestamp));
            }
            _data = data; // built aside, so a damaged snapshot leaves the state as it was; one insertion per key
            Idempotency.Clear();
            foreach (var (key, result, timestamp) in results)
            {
                Idempotency.Record(key, result, timestamp);
            }
            AppliedIndex = applied;
        }
        catch (EndOfStreamException exception)
        {
            throw new InvalidDataException("snapshot ends early", exception);
        }
    }
}
