using MiM.Bundles.Dicom.Network.Inbox;

namespace MiM.Bundles.Dicom.Network.Dimse;

/// <summary>DIMSE status codes as PS3.7 Annex C and PS3.4 B.2.3 define them for C-STORE and C-ECHO.</summary>
public static class DimseStatus
{
    /// <summary>Success.</summary>
    public const ushort Success = 0x0000;

    /// <summary>Failure: SOP class not supported.</summary>
    public const ushort SopClassNotSupported = 0x0122;

    /// <summary>Failure: processing failure.</summary>
    public const ushort ProcessingFailure = 0x0110;

    /// <summary>Refused: not authorized.</summary>
    public const ushort NotAuthorized = 0x0124;

    /// <summary>Failure: unrecognized operation.</summary>
    public const ushort UnrecognizedOperation = 0x0211;

    /// <summary>Refused: out of resources.</summary>
    public const ushort OutOfResources = 0xA700;

    /// <summary>Error: data set does not match SOP class.</summary>
    public const ushort DataSetDoesNotMatchSopClass = 0xA900;

    /// <summary>Error: cannot understand.</summary>
    public const ushort CannotUnderstand = 0xC000;

    /// <summary>The C-STORE status that answers a store outcome: Success only for a durable (or already present) instance.</summary>
    public static ushort FromStoreStatus(StoreStatus status) => status switch
    {
        StoreStatus.Stored or StoreStatus.Duplicate => Success,
        StoreStatus.OutOfResources => OutOfResources,
        _ => CannotUnderstand,
    };

    /// <summary>
    /// Whether sending the same instance to the same destination again cannot succeed (PS3.7 C.4, PS3.4 B.2.3): the
    /// SOP class is not supported (0122), we are not authorized (0124), the operation or an argument is not understood
    /// (0211, 0212), the instance is invalid (0117), the data set does not match the SOP class (A9xx) or cannot be
    /// understood (Cxxx). These need a person (or another configuration), not a retry. Out of resources (A7xx),
    /// processing failure (0110), resource limitation (0213), duplicate invocation (0210) and codes we do not know are
    /// worth retrying.
    /// </summary>
    public static bool IsPermanentFailure(ushort status) => status switch
    {
        SopClassNotSupported or NotAuthorized or UnrecognizedOperation or 0x0212 or 0x0117 => true,
        >= 0xA900 and <= 0xA9FF => true,
        >= 0xC000 and <= 0xCFFF => true,
        _ => false,
    };

    /// <summary>Words for a status, for logs and the send summary.</summary>
    public static string Describe(ushort status) => status switch
    {
        Success => "Success",
        SopClassNotSupported => "Failure: SOP class not supported",
        NotAuthorized => "Refused: not authorized",
        ProcessingFailure => "Failure: processing failure",
        UnrecognizedOperation => "Failure: unrecognized operation",
        OutOfResources => "Refused: out of resources",
        DataSetDoesNotMatchSopClass => "Error: data set does not match SOP class",
        0xB000 or 0xB006 or 0xB007 => $"Warning {status:X4}",
        >= 0xA700 and <= 0xA7FF => $"Refused: out of resources ({status:X4})",
        >= 0xA900 and <= 0xA9FF => $"Error: data set does not match SOP class ({status:X4})",
        >= 0xC000 and <= 0xCFFF => $"Error: cannot understand ({status:X4})",
        _ => $"status {status:X4}",
    };
}
