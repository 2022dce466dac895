using Microsoft.Extensions.Logging;

namespace MiM.Bundles.Dicom.Network.Inbox;

/// <summary>The inbox's log messages (UIDs and AE titles only: never patient data).</summary>
internal static partial class InboxLog
{
    [LoggerMessage(EventId = 5100, Level = LogLevel.Information, Message = "Inbox {Root} opened: {Instances} instances indexed, {Partials} partial files from an interrupted run removed")]
    public static partial void Opened(ILogger logger, string root, int instances, int partials);

    [LoggerMessage(EventId = 5101, Level = LogLevel.Debug, Message = "Stored {SopInstanceUid} of series {SeriesInstanceUid} from {CallingAeTitle}")]
    public static partial void Stored(ILogger logger, string sopInstanceUid, string seriesInstanceUid, string callingAeTitle);

    [LoggerMessage(EventId = 5102, Level = LogLevel.Information, Message = "Duplicate {SopInstanceUid} from {CallingAeTitle}: the copy already stored is kept")]
    public static partial void Duplicate(ILogger logger, string sopInstanceUid, string callingAeTitle);

    [LoggerMessage(EventId = 5103, Level = LogLevel.Warning, Message = "Duplicate {SopInstanceUid} from {CallingAeTitle} has a different data set than the stored copy; the first copy is kept and the second discarded")]
    public static partial void DuplicateDiffers(ILogger logger, string sopInstanceUid, string callingAeTitle);

    [LoggerMessage(EventId = 5104, Level = LogLevel.Warning, Message = "Instance {SopInstanceUid} from {CallingAeTitle} moved to {FailedPath}: {Reason}")]
    public static partial void Failed(ILogger logger, string sopInstanceUid, string callingAeTitle, string failedPath, string reason);

    [LoggerMessage(EventId = 5105, Level = LogLevel.Warning, Message = "Instance {SopInstanceUid} from {CallingAeTitle} refused: {Reason}")]
    public static partial void Refused(ILogger logger, string sopInstanceUid, string callingAeTitle, string reason);

    [LoggerMessage(EventId = 5106, Level = LogLevel.Warning, Message = "Ignoring {Path} in the inbox: {Reason}")]
    public static partial void Ignored(ILogger logger, string path, string reason);

    [LoggerMessage(EventId = 5107, Level = LogLevel.Error, Message = "A handler of committed instances failed for {SopInstanceUid}; the instance is stored")]
    public static partial void HandlerFailed(ILogger logger, Exception exception, string sopInstanceUid);
}
