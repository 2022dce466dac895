using System.Net.Security;
using System.Security.Cryptography.X509Certificates;

namespace MiM.Bundles.Packaging.Repository;

/// <summary>
/// The HTTP client a site fetches a repository with: the system's trusted roots, plus, when given, the certificates of a
/// PEM file (a hospital's own CA, or a small site's self-signed `mim repo serve` certificate). Host names are still
/// checked; only the chain may end at one of those certificates.
/// </summary>
public static class RepositoryHttpClient
{
    /// <summary>Creates the client.</summary>
    /// <param name="trustedCertificatesFile">PEM certificates also trusted as roots, or null for the system's alone.</param>
    /// <param name="timeout">The whole request's limit (archives are large).</param>
    /// <exception cref="ArgumentException">The file holds no readable certificate.</exception>
    public static HttpClient Create(string? trustedCertificatesFile, TimeSpan timeout)
    {
        if (trustedCertificatesFile is not { Length: > 0 })
        {
            return new HttpClient { Timeout = timeout };
        }

        var roots = new X509Certificate2Collection();
        try
        {
            roots.ImportFromPemFile(trustedCertificatesFile);
        }
        catch (Exception e) when (e is System.Security.Cryptography.CryptographicException or IOException)
        {
            throw new ArgumentException($"TLS trust file '{trustedCertificatesFile}' cannot be read as PEM certificates: {e.Message}", e);
        }

        if (roots.Count == 0)
        {
            throw new ArgumentException($"TLS trust file '{trustedCertificatesFile}' holds no PEM certificate");
        }

        var handler = new SocketsHttpHandler();
        handler.SslOptions.RemoteCertificateValidationCallback = (_, certificate, _, errors) => Trusted(certificate, errors, roots);
        return new HttpClient(handler, disposeHandler: true) { Timeout = timeout };
    }

    private static bool Trusted(X509Certificate? certificate, SslPolicyErrors errors, X509Certificate2Collection roots)
    {
        if (errors == SslPolicyErrors.None)
        {
            return true;
        }

        // A wrong host name or a missing certificate is never excused; only the chain's root may be one of ours.
        if (certificate is null || (errors & ~SslPolicyErrors.RemoteCertificateChainErrors) != SslPolicyErrors.None)
        {
            return false;
        }

        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.AddRange(roots);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        using var leaf = X509CertificateLoader.LoadCertificate(certificate.GetRawCertData());
        return chain.Build(leaf);
    }
}
