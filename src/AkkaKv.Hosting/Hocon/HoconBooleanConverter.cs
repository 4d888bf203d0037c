using System.ComponentModel;
using System.Globalization;

namespace AkkaKv.Hosting.Hocon;

/// <summary>
/// Reads HOCON's boolean spellings — <c>true/false</c>, <c>yes/no</c>, <c>on/off</c> (any case) — for
/// <see cref="bool"/> settings; registered for the configuration binder by <see cref="Register"/>.
/// </summary>
public sealed class HoconBooleanConverter : BooleanConverter
{
    private static int _registered;

    /// <summary>Makes <see cref="TypeDescriptor"/> (and so the configuration binder) use this converter for bool.</summary>
    public static void Register()
    {
        if (Interlocked.Exchange(ref _registered, 1) == 0)
        {
            TypeDescriptor.AddAttributes(typeof(bool), new TypeConverterAttribute(typeof(HoconBooleanConverter)));
        }
    }

    public override object? ConvertFrom(ITypeDescriptorContext? context, CultureInfo? culture, object value) =>
        value is string text
            ? text.Trim().ToUpperInvariant() switch
            {
                "TRUE" or "YES" or "ON" => true,
                "FALSE" or "NO" or "OFF" => false,
                _ => throw new FormatException($"'{text}' is not a boolean (true/false, yes/no, on/off)."),
            }
            : base.ConvertFrom(context, culture, value);
}
