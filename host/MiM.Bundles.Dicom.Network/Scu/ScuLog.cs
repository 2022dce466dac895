using Microsoft.Extensions.Logging;

namespace MiM.Bundles.Dicom.Network.Scu;

/// <summary>The SCU's log lines: UIDs and statuses only.</summary>
internal static partial class ScuLog
{
    [LoggerMessage(Level = LogLevel.Debug, Message = "C-STORE {SopInstanceUid}: status {Status:X4}")]
    public static partial void Stored(ILogger logger, string sopInstanceUid, ushort status);
}
