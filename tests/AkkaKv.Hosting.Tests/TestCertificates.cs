using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using AkkaKv.Hosting.AkkaConfig;

namespace AkkaKv.Hosting.Tests;

/// <summary>Certificate authorities and node certificates made for a test, written as PEM files and loaded as an operator's would be.</summary>
internal sealed class TestCertificates : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("akkakv-tls-").FullName;

    /// <summary>A new authority and one certificate per name signed by it, as <see cref="TlsSettings"/> loaded from PEM files.</summary>
    public Dictionary<string, TlsSettings> Issue(string authority, IEnumerable<string> names)
    {
        using var authorityKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest($"CN={authority}", authorityKey, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        var now = DateTimeOffset.UtcNow;
        using var authorityCertificate = request.CreateSelfSigned(now.AddDays(-1), now.AddDays(30));
        var authorityPath = Path.Combine(_directory, $"{authority}.pem");
        File.WriteAllText(authorityPath, authorityCertificate.ExportCertificatePem());
        var issued = new Dictionary<string, TlsSettings>();
        foreach (var name in names)
        {
            using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
            var nodeRequest = new CertificateRequest($"CN={name}", key, HashAlgorithmName.SHA256);
            nodeRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, false));
            nodeRequest.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1"), new Oid("1.3.6.1.5.5.7.3.2")], false));
            var serial = RandomNumberGenerator.GetBytes(8);
            using var certificate = nodeRequest.Create(authorityCertificate, now.AddDays(-1), now.AddDays(10), serial);
            var certificatePath = Path.Combine(_directory, $"{name}.pem");
            var keyPath = Path.Combine(_directory, $"{name}.key");
            File.WriteAllText(certificatePath, certificate.ExportCertificatePem());
            File.WriteAllText(keyPath, key.ExportPkcs8PrivateKeyPem());
            issued[name] = TlsSettings.FromPemFiles(certificatePath, keyPath, authorityPath);
        }
        return issued;
    }

    public void Dispose() => Directory.Delete(_directory, recursive: true);
}
