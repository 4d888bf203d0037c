using System.ComponentModel;
using System.Globalization;

namespace AkkaKv.Hosting.Hocon;

/// <summary>
/// Lets configuration binding read HOCON durations (<c>250ms</c>, <c>5s</c>) into <see cref="TimeSpan"/>; installed
/// for <see cref="TimeSpan"/> by <see cref="Register"/>. The .NET form <c>00:00:05</c> still works.
/// </summary>
public sealed class DurationConverter : TimeSpanConverter
{
    private static int _registered;

    /// <summary>Makes <see cref="TypeDescriptor"/> (and so the configuration binder) use this converter for TimeSpan.</summary>
    public static void Register()
    {
        if (Interlocked.Exchange(ref _registered, 1) == 0)
        {
            TypeDescriptor.AddAttributes(typeof(TimeSpan), new TypeConverterAttribute(typeof(DurationConverter)));
        }
    }

    public override object? ConvertFrom(ITypeDescriptorContext? context, CultureInfo? culture, object value) =>
        value is string text
            ? HoconDuration.TryParse(text, out var duration) ? duration : throw new FormatException($"'{text}' is not a duration such as 250ms or 5s.")
            : base.ConvertFrom(context, culture, value);
}
