using System.Net.Security;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;

namespace MiM.Bundles.Dicom.Network.Security;

/// <summary>Wraps a connected TCP stream in TLS 1.2/1.3 as server or client, with certificates from files.</summary>
internal static class TlsTransport
{
    private const SslProtocols Protocols = SslProtocols.Tls12 | SslProtocols.Tls13;

    public static async Task<Stream> AuthenticateAsServerAsync(Stream inner, TlsServerOptions options, CancellationToken cancellationToken)
    {
        var certificate = Load(options.CertificateFile, options.PrivateKeyFile);
        var trusted = options.TrustedClientCertificatesFile is null ? null : LoadCollection(options.TrustedClientCertificatesFile);
        var tls = new SslStream(inner, leaveInnerStreamOpen: false);
        try
        {
            await tls.AuthenticateAsServerAsync(
                new SslServerAuthenticationOptions
                {
                    ServerCertificate = certificate,
                    ClientCertificateRequired = options.RequireClientCertificate,
                    EnabledSslProtocols = Protocols,
                    RemoteCertificateValidationCallback = (_, presented, _, errors) =>
                        presented is null ? !options.RequireClientCertificate : Validate(presented, trusted, errors, checkName: false),
                },
                cancellationToken).ConfigureAwait(false);
            return tls;
        }
        catch
        {
            await tls.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    public static async Task<Stream> AuthenticateAsClientAsync(Stream inner, string host, TlsClientOptions options, CancellationToken cancellationToken)
    {
        var trusted = options.TrustedCertificatesFile is null ? null : LoadCollection(options.TrustedCertificatesFile);
        var clientCertificates = options.ClientCertificateFile is null ? null : new X509CertificateCollection { Load(options.ClientCertificateFile, options.ClientPrivateKeyFile) };
        var tls = new SslStream(inner, leaveInnerStreamOpen: false);
        try
        {
            await tls.AuthenticateAsClientAsync(
                new SslClientAuthenticationOptions
                {
                    TargetHost = host,
                    ClientCertificates = clientCertificates,
                    EnabledSslProtocols = Protocols,
                    RemoteCertificateValidationCallback = (_, presented, _, errors) =>
                        presented is not null && Validate(presented, trusted, errors, options.CheckHostName),
                },
                cancellationToken).ConfigureAwait(false);
            return tls;
        }
        catch
        {
            await tls.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    private static bool Validate(X509Certificate presented, X509Certificate2Collection? trusted, SslPolicyErrors errors, bool checkName)
    {
        if (checkName && errors.HasFlag(SslPolicyErrors.RemoteCertificateNameMismatch))
        {
            return false;
        }

        if (trusted is null)
        {
            return (errors & ~SslPolicyErrors.RemoteCertificateNameMismatch) == SslPolicyErrors.None;
        }

        // A site's own CA (or a pinned self-signed peer certificate) replaces the system store.
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.AddRange(trusted);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        using var certificate = new X509Certificate2(presented);
        return chain.Build(certificate);
    }

    private static X509Certificate2 Load(string certificateFile, string? privateKeyFile)
    {
        if (privateKeyFile is not null)
        {
            using var pem = X509Certificate2.CreateFromPemFile(certificateFile, privateKeyFile);

            // SslStream on Linux needs a certificate whose key is not ephemeral: round-trip through PKCS#12.
            return X509CertificateLoader.LoadPkcs12(pem.Export(X509ContentType.Pkcs12), null);
        }

        return X509CertificateLoader.LoadPkcs12FromFile(certificateFile, null);
    }

    private static X509Certificate2Collection LoadCollection(string pemFile)
    {
        var collection = new X509Certificate2Collection();
        collection.ImportFromPemFile(pemFile);
        return collection;
    }
}
