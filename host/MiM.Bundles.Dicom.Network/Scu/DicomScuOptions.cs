using MiM.Bundles.Dicom.Network.Security;

namespace MiM.Bundles.Dicom.Network.Scu;

/// <summary>How the SCU connects and how long it waits.</summary>
public sealed record DicomScuOptions
{
    /// <summary>Largest P-DATA-TF PDU we receive (announced in our A-ASSOCIATE-RQ).</summary>
    public uint MaximumPduLength { get; init; } = 1 << 18;

    /// <summary>TCP connect (and TLS handshake) time limit.</summary>
    public TimeSpan ConnectTimeout { get; init; } = TimeSpan.FromSeconds(15);

    /// <summary>ARTIM: how long we wait for the A-ASSOCIATE-AC/RJ and for the A-RELEASE-RP.</summary>
    public TimeSpan ArtimTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>How long we wait for a DIMSE response (a storing peer may fsync first).</summary>
    public TimeSpan ResponseTimeout { get; init; } = TimeSpan.FromSeconds(120);

    /// <summary>
    /// A write to the peer (a PDU, a batch of a data set) that has not completed after this long fails the association:
    /// the peer stopped reading. Bounds how long an outbox worker can be held by one destination. On Linux the same
    /// limit bounds how long bytes already handed to the kernel may stay unsent or unacknowledged (TCP_USER_TIMEOUT).
    /// <see cref="Timeout.InfiniteTimeSpan"/> disables the limit.
    /// </summary>
    public TimeSpan WriteTimeout { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>TLS (DICOM TLS profile) when set; plain TCP otherwise.</summary>
    public TlsClientOptions? Tls { get; init; }
}
