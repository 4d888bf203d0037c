using System.Text;

namespace AkkaKv.Gateway;

/// <summary>
/// Takes the key out of the raw request target (<c>/v1/kv/{key}</c>, percent-encoded UTF-8), decoding it exactly:
/// <c>%2F</c> stays part of the key, malformed escapes and invalid UTF-8 are errors.
/// </summary>
internal static class KeyPath
{
    private const string Prefix = "/v1/kv/";
    private const string AppendSuffix = "/append";
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>The key of <paramref name="rawTarget"/>, or an error message.</summary>
    public static (string? Key, string? Error) Parse(string rawTarget, bool append, int maxKeyBytes)
    {
        var path = rawTarget;
        var query = path.IndexOf('?', StringComparison.Ordinal);
        if (query >= 0)
        {
            path = path[..query];
        }
        if (!path.StartsWith(Prefix, StringComparison.Ordinal))
        {
            return (null, "The key must follow /v1/kv/.");
        }
        var encoded = path[Prefix.Length..];
        if (append)
        {
            if (!encoded.EndsWith(AppendSuffix, StringComparison.Ordinal))
            {
                return (null, "Append requests go to /v1/kv/{key}/append.");
            }
            encoded = encoded[..^AppendSuffix.Length];
        }
        if (encoded.Length == 0)
        {
            return (null, "The key is empty; keys are 1 to 1024 bytes.");
        }
        var bytes = new List<byte>(encoded.Length);
        for (var i = 0; i < encoded.Length; i++)
        {
            var ch = encoded[i];
            if (ch == '%')
            {
                if (i + 2 >= encoded.Length || !char.IsAsciiHexDigit(encoded[i + 1]) || !char.IsAsciiHexDigit(encoded[i + 2]))
                {
                    return (null, $"Malformed percent-encoding at position {i} of the key.");
                }
                bytes.Add(Convert.ToByte(encoded.Substring(i + 1, 2), 16));
                i += 2;
            }
            else if (ch > 0x7F)
            {
                return (null, "The key must be percent-encoded ASCII in the path.");
            }
            else
            {
                bytes.Add((byte)ch);
            }
            if (bytes.Count > maxKeyBytes)
            {
                return (null, $"The key is longer than {maxKeyBytes} bytes.");
            }
        }
        try
        {
            return (StrictUtf8.GetString([.. bytes]), null);
        }
        catch (DecoderFallbackException)
        {
            return (null, "The key is not valid UTF-8.");
        }
    }
}
