namespace AkkaKv.Store;

/// <summary>
/// The log payload of a write: <c>version u8 | kind u8 | condition u8 [version u64] | timestamp u64 |
/// idempotency-key (len u32 + utf8, len 0xFFFFFFFF = none) | key (len + utf8) | value (len + bytes)</c>. Stored in
/// the log: extend only by a new version byte.
/// </summary>
public static class KvCommandCodec
{
    private const byte FormatVersion = 1;
    private const int MaxKeyBytes = 64 * 1024;
    private const int MaxValueBytes = 1024 * 1024 * 1024;

    private enum Kind : byte { Put = 1, Append = 2, Delete = 3 }

    private enum ConditionKind : byte { None = 0, MustNotExist = 1, VersionIs = 2 }

    /// <summary>The bytes of <paramref name="command"/>.</summary>
    public static byte[] Encode(KvCommand command)
    {
        ArgumentNullException.ThrowIfNull(command);
        using var stream = new MemoryStream();
        stream.WriteByte(FormatVersion);
        stream.WriteByte((byte)(command switch
        {
            KvPut => Kind.Put,
            KvAppend => Kind.Append,
            KvDelete => Kind.Delete,
            _ => throw new ArgumentException($"Unknown command {command.GetType().Name}", nameof(command)),
        }));
        switch (command.Condition)
        {
            case KvCondition.VersionIs expected:
                stream.WriteByte((byte)ConditionKind.VersionIs);
                KvBinary.WriteUInt64(stream, expected.Version.Value);
                break;
            case KvCondition.Absent:
                stream.WriteByte((byte)ConditionKind.MustNotExist);
                break;
            default:
                stream.WriteByte((byte)ConditionKind.None);
                break;
        }
        KvBinary.WriteUInt64(stream, (ulong)command.TimestampMs);
        if (command.IdempotencyKey is null)
        {
            KvBinary.WriteUInt32(stream, uint.MaxValue);
        }
        else
        {
            KvBinary.WriteString(stream, command.IdempotencyKey);
        }
        KvBinary.WriteString(stream, command.Key);
        var value = command switch
        {
            KvPut put => put.Value,
            KvAppend append => append.Value,
            _ => ReadOnlyMemory<byte>.Empty,
        };
        KvBinary.WriteBytes(stream, value.Span);
        return stream.ToArray();
    }

    /// <summary>The command in <paramref name="bytes"/>; throws <see cref="InvalidDataException"/> on malformed input.</summary>
    public static KvCommand Decode(ReadOnlyMemory<byte> bytes)
    {
        try
        {
            using var stream = new MemoryStream(bytes.ToArray(), writable: false);
            var version = stream.ReadByte();
            if (version != FormatVersion)
            {
                throw new InvalidDataException($"unsupported command format version {version}");
            }
            var kind = (Kind)stream.ReadByte();
            KvCondition condition = (ConditionKind)stream.ReadByte() switch
            {
                ConditionKind.None => KvCondition.None,
                ConditionKind.MustNotExist => KvCondition.MustNotExist,
                ConditionKind.VersionIs => new KvCondition.VersionIs(new LogIndex(KvBinary.ReadUInt64(stream))),
                var other => throw new InvalidDataException($"unknown condition {other}"),
            };
            var timestamp = (long)KvBinary.ReadUInt64(stream);
            var idempotencyLength = KvBinary.ReadUInt32(stream);
            string? idempotencyKey = null;
            if (idempotencyLength != uint.MaxValue)
            {
                stream.Position -= 4;
                idempotencyKey = KvBinary.ReadString(stream, MaxKeyBytes);
            }
            var key = KvBinary.ReadString(stream, MaxKeyBytes);
            var value = KvBinary.ReadBytes(stream, MaxValueBytes);
            if (stream.Position != stream.Length)
            {
                throw new InvalidDataException($"{stream.Length - stream.Position} trailing bytes after the command");
            }
            return kind switch
            {
                Kind.Put => new KvPut(key, value, condition, idempotencyKey, timestamp),
                Kind.Append => new KvAppend(key, value, condition, idempotencyKey, timestamp),
                Kind.Delete => new KvDelete(key, condition, idempotencyKey, timestamp),
                _ => throw new InvalidDataException($"unknown command kind {(byte)kind}"),
            };
        }
        catch (EndOfStreamException exception)
        {
            throw new InvalidDataException("command bytes end early", exception);
        }
    }
}
