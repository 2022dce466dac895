using Microsoft.Extensions.Logging;

namespace MiM.Bundles.Dicom.Network.Assembly;

/// <summary>The series assembler's log messages (UIDs only).</summary>
internal static partial class AssemblyLog
{
    [LoggerMessage(EventId = 5200, Level = LogLevel.Information, Message = "Series assembler rebuilt from the inbox: {Pending} instances pending in {Groups} groups, {HandedOn} instances already handed on")]
    public static partial void Rebuilt(ILogger logger, int pending, int groups, int handedOn);

    [LoggerMessage(EventId = 5201, Level = LogLevel.Information, Message = "{GroupBy} {Key} generation {Generation} complete: {Instances} instances")]
    public static partial void Completed(ILogger logger, AssemblyGrouping groupBy, string key, int generation, int instances);

    [LoggerMessage(EventId = 5202, Level = LogLevel.Error, Message = "Handing on {GroupBy} {Key} generation {Generation} failed; it is pending again")]
    public static partial void HandOffFailed(ILogger logger, Exception exception, AssemblyGrouping groupBy, string key, int generation);

    [LoggerMessage(EventId = 5203, Level = LogLevel.Information, Message = "Instance {SopInstanceUid} arrived after {Key} was handed on: it starts generation {Generation}")]
    public static partial void LateArrival(ILogger logger, string sopInstanceUid, string key, int generation);

    [LoggerMessage(EventId = 5204, Level = LogLevel.Warning, Message = "Ignoring unreadable assembly marker {Path}")]
    public static partial void BadMarker(ILogger logger, Exception exception, string path);
}
