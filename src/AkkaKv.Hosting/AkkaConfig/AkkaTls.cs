using Akka.Remote.Transport.DotNetty;

namespace AkkaKv.Hosting.AkkaConfig;

/// <summary>
/// AkkaKv's mutual TLS (<c>akkakv.remote.tls</c>: PEM certificate, key and trusted authorities) for Akka.Remote:
/// this node presents its certificate on every connection, requires the peer's, and accepts a peer only when its
/// certificate chains to one of the trusted authorities — not the machine's store (host names are not checked, as
/// before). Akka.Remote's own SSL settings take a certificate store or a PFX file; this is what it lacks.
/// </summary>
public static class AkkaTls
{
    /// <summary>The DotNetty SSL setup for an actor system whose config has <c>enable-ssl = on</c>.</summary>
    public static DotNettySslSetup Setup(TlsSettings tls)
    {
        ArgumentNullException.ThrowIfNull(tls);
        return new DotNettySslSetup(tls.Certificate, suppressValidation: false, requireMutualAuthentication: true, validateCertificateHostname: false,
            customValidator: (certificate, _, _, _, _) => tls.Accepts(certificate));
    }
}
