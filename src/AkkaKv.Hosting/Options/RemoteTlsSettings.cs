using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Configuration;

namespace AkkaKv.Hosting.Options;

/// <summary>Mutual TLS between nodes (<c>akkakv.remote.tls</c>).</summary>
public sealed record RemoteTlsSettings : IValidatableObject
{
    public const string Section = "akkakv:remote:tls";

    [ConfigurationKeyName("enabled")]
    public bool Enabled { get; init; }

    /// <summary>PEM certificate this node presents.</summary>
    [ConfigurationKeyName("certificate")]
    public string Certificate { get; init; } = "";

    /// <summary>PEM private key of <see cref="Certificate"/>.</summary>
    [ConfigurationKeyName("private-key")]
    public string PrivateKey { get; init; } = "";

    /// <summary>PEM file of the certificate authorities whose certificates peers must present.</summary>
    [ConfigurationKeyName("trusted-authorities")]
    public string TrustedAuthorities { get; init; } = "";

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (!Enabled)
        {
            yield break;
        }
        foreach (var (value, name) in new[] { (Certificate, nameof(Certificate)), (PrivateKey, nameof(PrivateKey)), (TrustedAuthorities, nameof(TrustedAuthorities)) })
        {
            if (value.Length == 0)
            {
                yield return new ValidationResult("is required when tls.enabled = on", [name]);
            }
            else if (!File.Exists(value))
            {
                yield return new ValidationResult($"'{value}' does not exist", [name]);
            }
        }
    }
}
