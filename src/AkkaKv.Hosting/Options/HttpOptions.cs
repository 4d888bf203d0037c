using System.ComponentModel.DataAnnotations;
using AkkaKv.Hosting.Hocon;
using Microsoft.Extensions.Configuration;

namespace AkkaKv.Hosting.Options;

/// <summary>The HTTP gateway (<c>akkakv.http</c>).</summary>
public sealed record HttpOptions : IValidatableObject
{
    public const string Section = "akkakv:http";

    /// <summary>Address to listen on; 127.0.0.1 keeps the node private to this machine.</summary>
    [ConfigurationKeyName("hostname"), Required(AllowEmptyStrings = false)]
    public string Hostname { get; init; } = "127.0.0.1";

    /// <summary>TCP port to listen on.</summary>
    [ConfigurationKeyName("port"), Range(1, 65_535)]
    public int Port { get; init; } = 8080;

    /// <summary>Largest value a write may carry; larger bodies are refused with 413.</summary>
    [ConfigurationKeyName("max-value-size")]
    public ByteSize MaxValueSize { get; init; } = ByteSize.FromMebibytes(1);

    /// <summary>How long a request waits for its shard before answering 503 (read) or 504 (write: outcome unknown).</summary>
    [ConfigurationKeyName("request-timeout"), Range(typeof(TimeSpan), "00:00:00.010", "00:10:00")]
    public TimeSpan RequestTimeout { get; init; } = TimeSpan.FromSeconds(5);

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (MaxValueSize.Bytes < 1 || MaxValueSize.Bytes > 16L * 1024 * 1024)
        {
            yield return new ValidationResult("must be between 1B and 16MiB", [nameof(MaxValueSize)]);
        }
    }
}
