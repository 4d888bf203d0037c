using System.Buffers;

namespace AkkaKv.Remote.Tests;

/// <summary>
/// Framing and the handshake: frames split at any point are reassembled; several frames in one read come out one
/// by one; empty, oversized and unknown frames are refused from their prefix; handshakes round-trip and foreign or
/// damaged ones are refused with a clear reason. Method: byte sequences built by hand.
/// </summary>
public sealed class FrameCodecTests
{
    private static byte[] Frames(params (FrameKind Kind, byte[] Payload)[] frames)
    {
        var buffer = new ArrayBufferWriter<byte>();
        foreach (var (kind, payload) in frames)
        {
            FrameCodec.Write(buffer, kind, payload);
        }
        return buffer.WrittenSpan.ToArray();
    }

    [Fact]
    public void A_frame_split_at_any_point_waits_for_the_rest_and_then_reads_whole()
    {
        var bytes = Frames((FrameKind.Raft, [1, 2, 3, 4]));
        for (var cut = 0; cut < bytes.Length; cut++)
        {
            var partial = new ReadOnlySequence<byte>(bytes, 0, cut);
            Assert.False(FrameCodec.TryRead(ref partial, 1024, out _, out _));
            Assert.Equal(cut, partial.Length); // nothing consumed
        }
        var whole = new ReadOnlySequence<byte>(bytes);
        Assert.True(FrameCodec.TryRead(ref whole, 1024, out var kind, out var payload));
        Assert.Equal(FrameKind.Raft, kind);
        Assert.Equal([1, 2, 3, 4], payload.ToArray());
        Assert.Equal(0, whole.Length);
    }

    [Fact]
    public void Several_frames_in_one_buffer_come_out_in_order()
    {
        var buffer = new ReadOnlySequence<byte>(Frames((FrameKind.Handshake, [7]), (FrameKind.Raft, []), (FrameKind.Raft, [8, 9])));
        var seen = new List<string>();
        while (FrameCodec.TryRead(ref buffer, 1024, out var kind, out var payload))
        {
            seen.Add($"{kind}:{Convert.ToHexString(payload.ToArray())}");
        }
        Assert.Equal(["Handshake:07", "Raft:", "Raft:0809"], seen);
    }

    [Theory]
    [InlineData(new byte[] { 0, 0, 0, 0, 4 }, "empty frame")]
    [InlineData(new byte[] { 0xFF, 0xFF, 0xFF, 0x7F, 4 }, "exceeds the limit")]
    [InlineData(new byte[] { 2, 0, 0, 0, 77, 0 }, "unknown frame kind")]
    public void Empty_oversized_and_unknown_frames_are_refused_from_their_prefix(byte[] bytes, string reason)
    {
        var buffer = new ReadOnlySequence<byte>(bytes);
        var error = Assert.Throws<RemoteProtocolException>(() => FrameCodec.TryRead(ref buffer, 1024 * 1024, out _, out _));
        Assert.Contains(reason, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_handshake_round_trips()
    {
        var handshake = new Handshake("akkakv-prod", new NodeId(3), 1_700_000_000_123, "10.0.0.3:2553");
        var buffer = new ArrayBufferWriter<byte>();
        HandshakeCodec.Encode(handshake, buffer);
        Assert.Equal(handshake, HandshakeCodec.Decode(buffer.WrittenSpan));
    }

    [Fact]
    public void Foreign_truncated_and_invalid_handshakes_are_refused()
    {
        Assert.Contains("bad magic", Assert.Throws<RemoteProtocolException>(() => HandshakeCodec.Decode("GET / HTTP/1.1\r\n"u8)).Message, StringComparison.Ordinal);
        var buffer = new ArrayBufferWriter<byte>();
        HandshakeCodec.Encode(new Handshake("c", new NodeId(1), 1, "h:1"), buffer);
        var bytes = buffer.WrittenSpan.ToArray();
        for (var cut = 0; cut < bytes.Length; cut++)
        {
            Assert.Throws<RemoteProtocolException>(() => HandshakeCodec.Decode(bytes.AsSpan(0, cut)));
        }
        var badUtf8 = (byte[])bytes.Clone();
        badUtf8[4 + 2 + 4] = 0xFF; // the cluster name's only byte
        Assert.Contains("UTF-8", Assert.Throws<RemoteProtocolException>(() => HandshakeCodec.Decode(badUtf8)).Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => HandshakeCodec.Encode(new Handshake(new string('x', 300), new NodeId(1), 1, "h:1"), new ArrayBufferWriter<byte>()));
    }
}
