using System.Security.Cryptography.X509Certificates;

namespace MiM.Bundles.Host.Api;

/// <summary>Loads the API's TLS certificate: PEM certificate and key, or PKCS#12 with its key.</summary>
internal static class ApiCertificate
{
    public static X509Certificate2 Load(string certificateFile, string? keyFile)
    {
        if (keyFile is { Length: > 0 } || File.ReadAllText(certificateFile).Contains("-----BEGIN", StringComparison.Ordinal))
        {
            // A PEM key stays an ephemeral key, which SslStream on Linux accepts; re-exporting as PKCS#12 keeps the
            // certificate usable on every platform.
            using var pem = X509Certificate2.CreateFromPemFile(certificateFile, keyFile is { Length: > 0 } ? keyFile : null);
            return X509CertificateLoader.LoadPkcs12(pem.Export(X509ContentType.Pkcs12), null);
        }

        return X509CertificateLoader.LoadPkcs12FromFile(certificateFile, null);
    }
}
