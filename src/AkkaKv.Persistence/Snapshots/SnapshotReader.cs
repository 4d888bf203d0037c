namespace AkkaKv.Persistence.Snapshots;

/// <summary>
/// A verified snapshot: its checksum was checked by a streaming pass before this was handed out, so
/// <see cref="Content"/> can be restored from without buffering. Dispose when done.
/// </summary>
public sealed class SnapshotReader : IDisposable
{
    private readonly FileStream _file;

    internal SnapshotReader(SnapshotMetadata metadata, FileStream file, long contentLength)
    {
        Metadata = metadata;
        _file = file;
        ContentLength = contentLength;
        _file.Position = SnapshotFormat.HeaderSize;
        Content = new BoundedReadStream(_file, contentLength);
    }

    /// <summary>What this snapshot covers.</summary>
    public SnapshotMetadata Metadata { get; }

    /// <summary>Bytes of content.</summary>
    public long ContentLength { get; }

    /// <summary>The content, exactly <see cref="ContentLength"/> bytes.</summary>
    public Stream Content { get; }

    public void Dispose() => _file.Dispose();

    /// <summary>A read-only window of <paramref name="length"/> bytes over the file from its current position.</summary>
    private sealed class BoundedReadStream(Stream inner, long length) : Stream
    {
        private long _position;

        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => length;

        public override long Position
        {
            get => _position;
            set => throw new NotSupportedException();
        }

        public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

        public override int Read(Span<byte> buffer)
        {
            var allowed = (int)Math.Min(buffer.Length, length - _position);
            if (allowed <= 0)
            {
                return 0;
            }
            var read = inner.Read(buffer[..allowed]);
            _position += read;
            return read;
        }

        public override void Flush() { }
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
