using Microsoft.Extensions.Logging;

namespace MiM.Bundles.Dicom.Network.Scp;

/// <summary>The SCP's log lines: AE titles, addresses and UIDs only, never patient data.</summary>
internal static partial class ScpLog
{
    [LoggerMessage(Level = LogLevel.Information, Message = "Listening as {AeTitle} on {EndPoint}")]
    public static partial void Listening(ILogger logger, string aeTitle, string endPoint);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Association from {Calling}@{Remote} to {Called} accepted: {Accepted} of {Proposed} presentation contexts")]
    public static partial void AssociationAccepted(ILogger logger, string calling, string remote, string called, int accepted, int proposed);

    [LoggerMessage(Level = LogLevel.Information, Message = "Association from {Calling}@{Remote} to {Called}: {Stored} stored, {Failed} failed, {Ending}")]
    public static partial void AssociationEnded(ILogger logger, string calling, string remote, string called, int stored, int failed, string ending);

    [LoggerMessage(Level = LogLevel.Error, Message = "Association from {Calling}@{Remote} to {Called} aborted by an internal error ({ExceptionType}) after {Stored} stored, {Failed} failed; the SCP goes on serving")]
    public static partial void AssociationFailed(ILogger logger, Exception exception, string calling, string remote, string called, int stored, int failed, string exceptionType);

    [LoggerMessage(Level = LogLevel.Error, Message = "Connection from {Remote} failed by an internal error ({ExceptionType}) before an association; it is closed and the SCP goes on serving")]
    public static partial void ConnectionCrashed(ILogger logger, Exception exception, string remote, string exceptionType);

    [LoggerMessage(Level = LogLevel.Warning, Message = "C-STORE of {SopInstanceUid} answered {Status:X4}: {Reason}")]
    public static partial void StoreRefused(ILogger logger, string sopInstanceUid, ushort status, string reason);

    [LoggerMessage(Level = LogLevel.Error, Message = "Storing {SopInstanceUid} failed: {Error}")]
    public static partial void StoreFailed(ILogger logger, string sopInstanceUid, string error);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Connection from {Remote} refused at accept, {Limit} associations already open: {Action}")]
    public static partial void ConnectionRefused(ILogger logger, string remote, int limit, string action);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Connection from {Remote} failed before an association: {Error}")]
    public static partial void ConnectionFailed(ILogger logger, string remote, string error);
}
