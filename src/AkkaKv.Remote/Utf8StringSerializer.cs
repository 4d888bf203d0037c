using System.Buffers;
using System.Text;

namespace AkkaKv.Remote;

/// <summary>Strings as UTF-8 (id 1): for simple commands and replies.</summary>
public sealed class Utf8StringSerializer : IRemoteSerializer
{
    private static readonly UTF8Encoding Strict = new(false, throwOnInvalidBytes: true);

    public ushort Id => 1;

    public Type MessageType => typeof(string);

    public void Write(object message, IBufferWriter<byte> output)
    {
        ArgumentNullException.ThrowIfNull(output);
        output.Write(Encoding.UTF8.GetBytes((string)message));
    }

    public object Read(ReadOnlySpan<byte> bytes)
    {
        try
        {
            return Strict.GetString(bytes);
        }
        catch (DecoderFallbackException error)
        {
            throw new FormatException("not valid UTF-8", error);
        }
    }
}
