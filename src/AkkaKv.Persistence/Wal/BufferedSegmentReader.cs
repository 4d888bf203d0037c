using AkkaKv.Persistence.Storage;

namespace AkkaKv.Persistence.Wal;

/// <summary>
/// Reads a segment front to back through a large window, so recovery costs a few big reads instead of two small
/// ones per record. A returned span is valid until the next call.
/// </summary>
internal sealed class BufferedSegmentReader(IWalFile file, long length)
{
    private const int WindowBytes = 4 * 1024 * 1024;
    private byte[] _buffer = new byte[WindowBytes];
    private long _start = -1;
    private int _count;

    /// <summary><paramref name="size"/> bytes at <paramref name="offset"/>; the caller keeps within the file's length.</summary>
    public ReadOnlySpan<byte> Read(long offset, int size)
    {
        if (_start < 0 || offset < _start || offset + size > _start + _count)
        {
            if (size > _buffer.Length)
            {
                _buffer = new byte[size];
            }
            _start = offset;
            _count = file.Read(offset, _buffer.AsSpan(0, (int)Math.Min(_buffer.Length, length - offset)));
            Invariant.Check(_count >= size, $"short read of {file.Name} at {offset}");
        }
        return _buffer.AsSpan((int)(offset - _start), size);
    }
}
