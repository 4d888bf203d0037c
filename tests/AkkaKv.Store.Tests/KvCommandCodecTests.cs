using System.Text;

namespace AkkaKv.Store.Tests;

/// <summary>
/// The command codec is the log's on-disk format: every command round-trips, and truncated or random bytes are
/// rejected with <see cref="InvalidDataException"/> (never another exception, never a wrong command).
/// </summary>
public sealed class KvCommandCodecTests
{
    [Fact]
    public void Every_kind_of_command_round_trips()
    {
        KvCommand[] commands =
        [
            new KvPut("key", Encoding.UTF8.GetBytes("value"), KvCondition.None, null, 123),
            new KvPut("ключ/✓", new byte[] { 0, 255, 10 }, KvCondition.MustNotExist, "idem", 0),
            new KvAppend("a", Array.Empty<byte>(), new KvCondition.VersionIs(new LogIndex(42)), "x:1", long.MaxValue),
            new KvDelete("d", new KvCondition.VersionIs(new LogIndex(7)), null, 5),
        ];
        foreach (var command in commands)
        {
            var decoded = KvCommandCodec.Decode(KvCommandCodec.Encode(command));
            Assert.Equal(command.GetType(), decoded.GetType());
            Assert.Equal(command.Key, decoded.Key);
            Assert.Equal(command.Condition, decoded.Condition);
            Assert.Equal(command.IdempotencyKey, decoded.IdempotencyKey);
            Assert.Equal(command.TimestampMs, decoded.TimestampMs);
            Assert.Equal(ValueOf(command), ValueOf(decoded));
        }
    }

    [Fact]
    public void Truncated_commands_are_rejected_at_every_length()
    {
        var bytes = KvCommandCodec.Encode(new KvPut("key", Encoding.UTF8.GetBytes("value"), KvCondition.MustNotExist, "idem", 9));
        for (var cut = 0; cut < bytes.Length; cut++)
        {
            Assert.Throws<InvalidDataException>(() => KvCommandCodec.Decode(bytes.AsMemory(0, cut)));
        }
        Assert.Throws<InvalidDataException>(() => KvCommandCodec.Decode(bytes.Append((byte)0).ToArray()));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public void Random_bytes_never_escape_as_anything_but_invalid_data(int seed)
    {
        var random = new Random(seed);
        for (var i = 0; i < 5_000; i++)
        {
            var bytes = new byte[random.Next(64)];
            random.NextBytes(bytes);
            if (bytes.Length > 0 && random.Next(2) == 0)
            {
                bytes[0] = 1; // a valid version byte gets the decoder further
            }
            try
            {
                KvCommandCodec.Decode(bytes);
            }
            catch (InvalidDataException)
            {
            }
        }
    }

    private static byte[] ValueOf(KvCommand command) => command switch
    {
        KvPut put => put.Value.ToArray(),
        KvAppend append => append.Value.ToArray(),
        _ => [],
    };
}
