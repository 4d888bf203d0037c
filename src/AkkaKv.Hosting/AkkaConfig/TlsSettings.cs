using System.Net.Security;
using System.Security.Cryptography.X509Certificates;

namespace AkkaKv.Hosting.AkkaConfig;

/// <summary>
/// Mutual TLS between nodes: each side presents <see cref="Certificate"/> (with its private key) and accepts a peer
/// only if the peer's certificate chains to one of <see cref="TrustedAuthorities"/>. Host names are not checked —
/// a peer proves membership by a certificate from the cluster's own authority, and its identity by the handshake.
/// </summary>
public sealed class TlsSettings(X509Certificate2 certificate, X509Certificate2Collection trustedAuthorities)
{
    public X509Certificate2 Certificate { get; } = certificate ?? throw new ArgumentNullException(nameof(certificate));

    public X509Certificate2Collection TrustedAuthorities { get; } = trustedAuthorities ?? throw new ArgumentNullException(nameof(trustedAuthorities));

    /// <summary>Loads a PEM certificate and key, and the PEM file of the authorities to trust.</summary>
    /// <exception cref="ArgumentException">A file is missing or not a usable certificate or key (the message names it).</exception>
    public static TlsSettings FromPemFiles(string certificatePath, string keyPath, string trustedAuthoritiesPath)
    {
        X509Certificate2 certificate;
        try
        {
            certificate = X509Certificate2.CreateFromPemFile(certificatePath, keyPath);
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException or System.Security.Cryptography.CryptographicException or ArgumentException)
        {
            throw new ArgumentException($"cannot load the TLS certificate '{certificatePath}' with key '{keyPath}': {exception.Message}", exception);
        }
        var authorities = new X509Certificate2Collection();
        try
        {
            authorities.ImportFromPemFile(trustedAuthoritiesPath);
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException or System.Security.Cryptography.CryptographicException)
        {
            throw new ArgumentException($"cannot load the trusted authorities '{trustedAuthoritiesPath}': {exception.Message}", exception);
        }
        if (authorities.Count == 0)
        {
            throw new ArgumentException($"'{trustedAuthoritiesPath}' holds no certificate");
        }
        return new TlsSettings(certificate, authorities);
    }

    /// <summary>True when <paramref name="presented"/> chains to a trusted authority.</summary>
    internal bool Accepts(System.Security.Cryptography.X509Certificates.X509Certificate? presented)
    {
        if (presented is null)
        {
            return false;
        }
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.AddRange(TrustedAuthorities);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        using var certificate = new X509Certificate2(presented);
        return chain.Build(certificate);
    }

    internal SslServerAuthenticationOptions ServerOptions => new()
    {
        ServerCertificate = Certificate,
        ClientCertificateRequired = true,
        RemoteCertificateValidationCallback = (_, presented, _, _) => Accepts(presented),
    };

    internal SslClientAuthenticationOptions ClientOptions(string host) => new()
    {
        TargetHost = host,
        ClientCertificates = [Certificate],
        RemoteCertificateValidationCallback = (_, presented, _, _) => Accepts(presented),
    };
}
