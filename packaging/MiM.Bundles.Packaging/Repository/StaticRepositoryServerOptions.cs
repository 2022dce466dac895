using System.Net;

namespace MiM.Bundles.Packaging.Repository;

/// <summary>Where and how <see cref="StaticRepositoryServer"/> listens.</summary>
public sealed record StaticRepositoryServerOptions
{
    /// <summary>The TCP port; 0 picks a free one.</summary>
    public int Port { get; init; }

    /// <summary>The address to listen on; anything but loopback needs <see cref="CertificateFile"/>.</summary>
    public IPAddress BindAddress { get; init; } = IPAddress.Loopback;

    /// <summary>A PEM certificate (chain) to serve HTTPS with; none serves plain HTTP.</summary>
    public string? CertificateFile { get; init; }

    /// <summary>The certificate's PEM private key, when it is not in <see cref="CertificateFile"/>.</summary>
    public string? PrivateKeyFile { get; init; }
}
