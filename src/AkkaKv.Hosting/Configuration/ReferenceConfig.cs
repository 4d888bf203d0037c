namespace AkkaKv.Hosting.Configuration;

/// <summary>The embedded <c>hocon/reference.conf</c>: every setting with its default and documentation.</summary>
public static class ReferenceConfig
{
    private static readonly Lazy<string> Content = new(() =>
    {
        using var stream = typeof(ReferenceConfig).Assembly.GetManifestResourceStream("AkkaKv.reference.conf")
            ?? throw new InvalidOperationException("The embedded reference.conf is missing from AkkaKv.Hosting.");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    });

    /// <summary>The text of reference.conf.</summary>
    public static string Text => Content.Value;
}
