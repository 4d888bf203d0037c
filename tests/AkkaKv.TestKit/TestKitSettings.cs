using System.Globalization;

namespace AkkaKv.TestKit;

/// <summary>
/// Timing of expectations. On a loaded CI machine real time runs slow, so every real-time timeout is multiplied by
/// <see cref="TimeFactor"/> (environment variable <c>AKKAKV_TEST_TIME_FACTOR</c>, default 1; 2 when <c>CI=true</c>).
/// Virtual time is never dilated.
/// </summary>
public sealed record TestKitSettings
{
    /// <summary>Timeout of an expectation that names none.</summary>
    public TimeSpan DefaultTimeout { get; init; } = TimeSpan.FromSeconds(3);

    /// <summary>How long <c>ExpectNoMsg</c> waits when it names no duration.</summary>
    public TimeSpan DefaultNoMessageWait { get; init; } = TimeSpan.FromMilliseconds(100);

    /// <summary>Multiplier for real-time timeouts.</summary>
    public double TimeFactor { get; init; } = ReadTimeFactor();

    /// <summary>The settings from the environment.</summary>
    public static TestKitSettings Default { get; } = new();

    private static double ReadTimeFactor()
    {
        var configured = Environment.GetEnvironmentVariable("AKKAKV_TEST_TIME_FACTOR");
        if (double.TryParse(configured, NumberStyles.Float, CultureInfo.InvariantCulture, out var factor) && factor >= 1)
        {
            return factor;
        }
        return string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase) ? 2 : 1;
    }
}
