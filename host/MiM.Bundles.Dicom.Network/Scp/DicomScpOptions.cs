using System.Net;
using MiM.Bundles.Dicom.Network.Security;
using MiM.Bundles.Dicom.Network.UpperLayer;

namespace MiM.Bundles.Dicom.Network.Scp;

/// <summary>How the storage SCP presents itself and whom it accepts.</summary>
public sealed record DicomScpOptions
{
    /// <summary>Our AE title; associations calling another title are rejected (called AE not recognized).</summary>
    public required string AeTitle { get; init; }

    /// <summary>TCP port; 0 picks a free one (see <see cref="DicomScp.LocalEndPoint"/>).</summary>
    public int Port { get; init; } = 104;

    /// <summary>Address to listen on.</summary>
    public IPAddress BindAddress { get; init; } = IPAddress.Any;

    /// <summary>Calling AE titles allowed to associate; null or empty: anyone (others: calling AE not recognized).</summary>
    public IReadOnlyCollection<string>? AllowedCallingAeTitles { get; init; }

    /// <summary>Associations served at once; more are rejected transiently (local limit exceeded).</summary>
    public int MaximumAssociations { get; init; } = 64;

    /// <summary>
    /// ARTIM timer (PS3.8 9.1.5): how long a new connection may take to send its A-ASSOCIATE-RQ, and how long we wait
    /// for the peer to close after a reject or release.
    /// </summary>
    public TimeSpan ArtimTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>An association silent for this long is aborted.</summary>
    public TimeSpan IdleTimeout { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>
    /// A write to the peer (a response, a reject) that has not completed after this long aborts the association: the
    /// peer stopped reading. On Linux the same limit bounds how long a response already handed to the kernel may stay
    /// unsent or unacknowledged (TCP_USER_TIMEOUT). <see cref="Timeout.InfiniteTimeSpan"/> disables the limit.
    /// </summary>
    public TimeSpan WriteTimeout { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>Largest P-DATA-TF PDU we receive (announced in the A-ASSOCIATE-AC); also the bound of every receive buffer.</summary>
    public uint MaximumPduLength { get; init; } = 1 << 18;

    /// <summary>Transfer syntaxes accepted for storage (the proposer's order decides among them).</summary>
    public IReadOnlyList<string> TransferSyntaxes { get; init; } =
    [
        DicomUids.ExplicitVrLittleEndian,
        DicomUids.ImplicitVrLittleEndian,
        DicomUids.JpegLosslessSv1,
        DicomUids.JpegLossless,
        DicomUids.RleLossless,
        DicomUids.DeflatedExplicitVrLittleEndian,
        DicomUids.ExplicitVrBigEndian,
    ];

    /// <summary>TLS (DICOM TLS profile) when set; plain TCP otherwise.</summary>
    public TlsServerOptions? Tls { get; init; }
}
