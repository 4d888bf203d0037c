using System.Globalization;
using AkkaKv.Store;
using Microsoft.AspNetCore.Http;

namespace AkkaKv.Gateway;

/// <summary>Reads <c>If-Match: "&lt;version&gt;"</c> and <c>If-None-Match: *</c> into a <see cref="KvCondition"/>.</summary>
internal static class Preconditions
{
    /// <summary>The condition of <paramref name="request"/>, or an error message.</summary>
    public static (KvCondition? Condition, string? Error) Parse(HttpRequest request, bool allowIfNoneMatch)
    {
        var ifMatch = request.Headers.IfMatch;
        var ifNoneMatch = request.Headers.IfNoneMatch;
        if (ifMatch.Count > 0 && ifNoneMatch.Count > 0)
        {
            return (null, "Use either If-Match or If-None-Match, not both.");
        }
        if (ifNoneMatch.Count > 0)
        {
            if (!allowIfNoneMatch || ifNoneMatch.Count != 1 || ifNoneMatch[0]?.Trim() != "*")
            {
                return (null, "Only If-None-Match: * is supported, on PUT.");
            }
            return (KvCondition.MustNotExist, null);
        }
        if (ifMatch.Count > 0)
        {
            if (ifMatch.Count != 1 || !TryParseETag(ifMatch[0], out var version))
            {
                return (null, "If-Match must be one version in quotes, as returned in ETag, e.g. If-Match: \"42\".");
            }
            return (new KvCondition.VersionIs(version), null);
        }
        return (KvCondition.None, null);
    }

    /// <summary>The ETag of a version: the decimal log index in quotes.</summary>
    public static string ETagOf(LogIndex version) => "\"" + version.Value.ToString(CultureInfo.InvariantCulture) + "\"";

    private static bool TryParseETag(string? text, out LogIndex version)
    {
        version = default;
        var trimmed = text?.Trim();
        if (trimmed is null || trimmed.Length < 3 || trimmed[0] != '"' || trimmed[^1] != '"')
        {
            return false;
        }
        if (!ulong.TryParse(trimmed.AsSpan(1, trimmed.Length - 2), NumberStyles.None, CultureInfo.InvariantCulture, out var value) || value == 0)
        {
            return false;
        }
        version = new LogIndex(value);
        return true;
    }
}
