namespace AkkaKv.Hosting.Hocon;

/// <summary>A HOCON document is malformed or cannot be resolved; the message starts with <c>file:line:column</c>.</summary>
public sealed class HoconException : FormatException
{
    public HoconException() { }

    public HoconException(string message) : base(message) { }

    public HoconException(string message, Exception innerException) : base(message, innerException) { }

    /// <summary>An error at <paramref name="position"/>.</summary>
    public HoconException(HoconPosition position, string message) : base($"{position}: {message}") => Position = position;

    /// <summary>Where the error is, when known.</summary>
    public HoconPosition? Position { get; }
}
