namespace MiM.Bundles.Dicom.Network.UpperLayer;

/// <summary>Who aborted an association and why (A-ABORT source and reason, PS3.8 9.3.8).</summary>
/// <param name="Source">0: service user; 2: service provider (the upper layer itself).</param>
/// <param name="Reason">For source 2: 0 not specified, 1 unrecognized PDU, 2 unexpected PDU, 4 unrecognized PDU parameter, 5 unexpected PDU parameter, 6 invalid PDU parameter value.</param>
public readonly record struct AbortReason(byte Source, byte Reason)
{
    /// <summary>The application aborted (e.g. it stopped or the peer broke the DIMSE protocol).</summary>
    public static AbortReason ServiceUser => new(0, 0);

    /// <summary>The upper layer aborted, reason not specified (e.g. a timer expired).</summary>
    public static AbortReason NotSpecified => new(2, 0);

    /// <summary>A PDU type we do not know.</summary>
    public static AbortReason UnrecognizedPdu => new(2, 1);

    /// <summary>A known PDU that is not allowed in the association's current state.</summary>
    public static AbortReason UnexpectedPdu => new(2, 2);

    /// <summary>An item or field we cannot parse.</summary>
    public static AbortReason UnrecognizedPduParameter => new(2, 4);

    /// <summary>A field with a value that is out of range (e.g. a PDU longer than the negotiated maximum).</summary>
    public static AbortReason InvalidPduParameterValue => new(2, 6);

    /// <inheritdoc />
    public override string ToString() => $"source {Source}, reason {Reason}";
}
