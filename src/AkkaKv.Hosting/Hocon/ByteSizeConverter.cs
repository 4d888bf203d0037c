using System.ComponentModel;
using System.Globalization;

namespace AkkaKv.Hosting.Hocon;

/// <summary>Lets configuration binding read HOCON sizes into <see cref="ByteSize"/>.</summary>
public sealed class ByteSizeConverter : TypeConverter
{
    public override bool CanConvertFrom(ITypeDescriptorContext? context, Type sourceType) => sourceType == typeof(string);

    public override object ConvertFrom(ITypeDescriptorContext? context, CultureInfo? culture, object value) =>
        ByteSize.TryParse(value as string, out var size) ? size : throw new FormatException($"'{value}' is not a size such as 64MiB or 512KB.");
}
