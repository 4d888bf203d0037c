using System.Globalization;

namespace AkkaKv.Hosting.Hocon;

/// <summary>HOCON durations: a number and a unit (<c>ns us ms s m h d</c> and their long names); a bare number is milliseconds.</summary>
public static class HoconDuration
{
    /// <summary>Parses <paramref name="text"/>; also accepts <c>infinite</c> and .NET's <c>hh:mm:ss</c> form.</summary>
    public static bool TryParse(string? text, out TimeSpan value)
    {
        value = default;
        if (string.IsNullOrWhiteSpace(text))
        {
            return false;
        }
        var trimmed = text.Trim();
        if (trimmed is "infinite" or "inf")
        {
            value = Timeout.InfiniteTimeSpan;
            return true;
        }
        if (trimmed.Contains(':', StringComparison.Ordinal))
        {
            return TimeSpan.TryParse(trimmed, CultureInfo.InvariantCulture, out value);
        }
        var split = 0;
        while (split < trimmed.Length && (char.IsAsciiDigit(trimmed[split]) || trimmed[split] is '.' or '-' or '+'))
        {
            split++;
        }
        if (!double.TryParse(trimmed.AsSpan(0, split), NumberStyles.Float, CultureInfo.InvariantCulture, out var number) || number < 0)
        {
            return false;
        }
        double? ticksPerUnit = trimmed[split..].Trim() switch
        {
            "ns" or "nano" or "nanos" or "nanosecond" or "nanoseconds" => TimeSpan.TicksPerMillisecond / 1_000_000d,
            "us" or "micro" or "micros" or "microsecond" or "microseconds" => TimeSpan.TicksPerMillisecond / 1_000d,
            "" or "ms" or "milli" or "millis" or "millisecond" or "milliseconds" => TimeSpan.TicksPerMillisecond,
            "s" or "second" or "seconds" => TimeSpan.TicksPerSecond,
            "m" or "minute" or "minutes" => TimeSpan.TicksPerMinute,
            "h" or "hour" or "hours" => TimeSpan.TicksPerHour,
            "d" or "day" or "days" => TimeSpan.TicksPerDay,
            _ => null,
        };
        if (ticksPerUnit is null)
        {
            return false;
        }
        var ticks = number * ticksPerUnit.Value;
        if (ticks > TimeSpan.MaxValue.Ticks)
        {
            return false;
        }
        value = TimeSpan.FromTicks((long)Math.Round(ticks));
        return true;
    }
}
