using System.Globalization;

namespace AkkaKv.HttpFloor;

/// <summary>Command-line settings of the floor server.</summary>
internal static class FloorSettings
{
    public const int MaxValueBytes = 1024 * 1024;

    /// <summary>The GET value size: 256 bytes by default; null when the text is not a size from 0 to 1 MiB.</summary>
    public static int? ValueSize(string? text) =>
        text is null ? 256
        : int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var size) && size <= MaxValueBytes ? size
        : null;
}
