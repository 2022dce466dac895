namespace MiM.Bundles.Dicom.Network.UpperLayer;

/// <summary>Why an association request was rejected (A-ASSOCIATE-RJ result, source and reason, PS3.8 9.3.4).</summary>
/// <param name="Result">1: rejected permanent; 2: rejected transient.</param>
/// <param name="Source">1: service user; 2: service provider (ACSE); 3: service provider (presentation).</param>
/// <param name="Reason">Meaning depends on the source (e.g. source 1: 3 calling AE not recognized, 7 called AE not recognized).</param>
public readonly record struct RejectReason(byte Result, byte Source, byte Reason)
{
    /// <summary>The calling AE title is not on the allow-list.</summary>
    public static RejectReason CallingAeNotRecognized => new(1, 1, 3);

    /// <summary>The called AE title is not ours.</summary>
    public static RejectReason CalledAeNotRecognized => new(1, 1, 7);

    /// <summary>The application context is not the DICOM one.</summary>
    public static RejectReason ApplicationContextNotSupported => new(1, 1, 2);

    /// <summary>The protocol version is not 1.</summary>
    public static RejectReason ProtocolVersionNotSupported => new(1, 2, 2);

    /// <summary>Too many associations at once: try again later.</summary>
    public static RejectReason LocalLimitExceeded => new(2, 3, 2);

    /// <summary>Words for logs and error messages.</summary>
    public string Describe() => (Source, Reason) switch
    {
        (1, 2) => "application context name not supported",
        (1, 3) => "calling AE title not recognized",
        (1, 7) => "called AE title not recognized",
        (1, _) => "rejected by the called application",
        (2, 2) => "protocol version not supported",
        (3, 1) => "temporary congestion",
        (3, 2) => "local limit exceeded",
        _ => $"result {Result}, source {Source}, reason {Reason}",
    };
}
