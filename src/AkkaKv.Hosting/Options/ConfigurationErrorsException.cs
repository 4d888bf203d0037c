namespace AkkaKv.Hosting.Options;

/// <summary>
/// Settings that cannot be used. Each error names the setting, its value and where it was written
/// (<c>akkakv.http.port = 70000 (node1.conf:4:12): must be between 1 and 65535</c>).
/// </summary>
public sealed class ConfigurationErrorsException : Exception
{
    public ConfigurationErrorsException() : this([]) { }

    public ConfigurationErrorsException(string message) : this([message]) { }

    public ConfigurationErrorsException(string message, Exception innerException) : base(message, innerException) => Errors = [message];

    public ConfigurationErrorsException(IReadOnlyList<string> errors)
        : base("Invalid configuration:" + string.Concat(errors.Select(error => Environment.NewLine + "  " + error))) => Errors = errors;

    /// <summary>One line per problem.</summary>
    public IReadOnlyList<string> Errors { get; }
}
