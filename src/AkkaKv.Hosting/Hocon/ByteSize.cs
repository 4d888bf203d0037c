using System.ComponentModel;
using System.Globalization;

namespace AkkaKv.Hosting.Hocon;

/// <summary>A size in bytes, written in HOCON as <c>64MiB</c>, <c>512 KB</c>, <c>1g</c> (binary for single letters, as HOCON specifies).</summary>
[TypeConverter(typeof(ByteSizeConverter))]
public readonly record struct ByteSize(long Bytes)
{
    public static ByteSize FromMebibytes(long mebibytes) => new(checked(mebibytes * 1024 * 1024));

    /// <summary>Parses a HOCON size; a bare number is bytes.</summary>
    public static bool TryParse(string? text, out ByteSize value)
    {
        value = default;
        if (string.IsNullOrWhiteSpace(text))
        {
            return false;
        }
        var trimmed = text.Trim();
        var split = 0;
        while (split < trimmed.Length && (char.IsAsciiDigit(trimmed[split]) || trimmed[split] == '.'))
        {
            split++;
        }
        if (!double.TryParse(trimmed.AsSpan(0, split), NumberStyles.Float, CultureInfo.InvariantCulture, out var number))
        {
            return false;
        }
        double? multiplier = trimmed[split..].Trim() switch
        {
            "" or "B" or "b" or "byte" or "bytes" => 1,
            "kB" or "KB" or "kilobyte" or "kilobytes" => 1e3,
            "K" or "k" or "Ki" or "KiB" or "kibibyte" or "kibibytes" => 1024,
            "MB" or "megabyte" or "megabytes" => 1e6,
            "M" or "m" or "Mi" or "MiB" or "mebibyte" or "mebibytes" => 1024d * 1024,
            "GB" or "gigabyte" or "gigabytes" => 1e9,
            "G" or "g" or "Gi" or "GiB" or "gibibyte" or "gibibytes" => 1024d * 1024 * 1024,
            "TB" or "terabyte" or "terabytes" => 1e12,
            "T" or "t" or "Ti" or "TiB" or "tebibyte" or "tebibytes" => 1024d * 1024 * 1024 * 1024,
            _ => null,
        };
        if (multiplier is null || number * multiplier.Value > long.MaxValue)
        {
            return false;
        }
        value = new ByteSize((long)(number * multiplier.Value));
        return true;
    }

    public override string ToString() => Bytes.ToString(CultureInfo.InvariantCulture) + "B";
}
