namespace MiM.Bundles.Dicom.Network.Security;

/// <summary>The SCP side of the DICOM TLS profile (PS3.15 B.1): our certificate and whether clients must present one.</summary>
public sealed record TlsServerOptions
{
    /// <summary>Our certificate: a PEM certificate (with <see cref="PrivateKeyFile"/>) or a PKCS#12 file with its key.</summary>
    public required string CertificateFile { get; init; }

    /// <summary>PEM private key of the certificate; null when <see cref="CertificateFile"/> holds the key.</summary>
    public string? PrivateKeyFile { get; init; }

    /// <summary>Require a client certificate (mutual authentication).</summary>
    public bool RequireClientCertificate { get; init; }

    /// <summary>PEM file of the certificates (or CAs) client certificates must chain to; null: the system's trust store.</summary>
    public string? TrustedClientCertificatesFile { get; init; }
}

/// <summary>The SCU side of the DICOM TLS profile: whom we trust and, for mutual authentication, who we are.</summary>
public sealed record TlsClientOptions
{
    /// <summary>PEM file of the certificates (or CAs) the server must chain to; null: the system's trust store.</summary>
    public string? TrustedCertificatesFile { get; init; }

    /// <summary>Our client certificate (PEM with <see cref="ClientPrivateKeyFile"/>, or PKCS#12), when the server asks for one.</summary>
    public string? ClientCertificateFile { get; init; }

    /// <summary>PEM private key of the client certificate.</summary>
    public string? ClientPrivateKeyFile { get; init; }

    /// <summary>Check that the server certificate names the host we connect to; DICOM peers are often known by address only.</summary>
    public bool CheckHostName { get; init; }
}
