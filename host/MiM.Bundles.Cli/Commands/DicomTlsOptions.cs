using System.CommandLine;
using MiM.Bundles.Dicom.Network.Security;

namespace MiM.Bundles.Cli.Commands;

/// <summary>The --tls-* options shared by the DICOM network verbs (DICOM TLS profile; plain TCP without them).</summary>
internal sealed class DicomTlsOptions
{
    private readonly Option<FileInfo?> _certificate = new("--tls-cert") { Description = "PEM certificate (or PKCS#12 file) we present; turns TLS on for listen." };
    private readonly Option<FileInfo?> _key = new("--tls-key") { Description = "PEM private key of --tls-cert." };
    private readonly Option<FileInfo?> _trusted = new("--tls-trust") { Description = "PEM certificates the peer must chain to (send/echo: turns TLS on; listen: client certificates become required)." };

    public void AddTo(Command command)
    {
        command.Options.Add(_certificate);
        command.Options.Add(_key);
        command.Options.Add(_trusted);
    }

    public TlsServerOptions? Server(ParseResult parse) => parse.GetValue(_certificate) is { } certificate
        ? new TlsServerOptions
        {
            CertificateFile = certificate.FullName,
            PrivateKeyFile = parse.GetValue(_key)?.FullName,
            RequireClientCertificate = parse.GetValue(_trusted) is not null,
            TrustedClientCertificatesFile = parse.GetValue(_trusted)?.FullName,
        }
        : null;

    public TlsClientOptions? Client(ParseResult parse) => parse.GetValue(_trusted) is null && parse.GetValue(_certificate) is null
        ? null
        : new TlsClientOptions
        {
            TrustedCertificatesFile = parse.GetValue(_trusted)?.FullName,
            ClientCertificateFile = parse.GetValue(_certificate)?.FullName,
            ClientPrivateKeyFile = parse.GetValue(_key)?.FullName,
        };
}
