using Microsoft.Extensions.Logging;

namespace MiM.Bundles.Host.Serving;

/// <summary>The pipeline's log lines (EventIds 7000–7099). UIDs and AE titles only, never patient names or IDs.</summary>
internal static partial class ServeLog
{
    [LoggerMessage(EventId = 7000, Level = LogLevel.Information, Message = "Listening as {AeTitle} on {Address}:{Port}")]
    public static partial void Listening(ILogger logger, string aeTitle, string address, int port);

    [LoggerMessage(EventId = 7001, Level = LogLevel.Information, Message = "Series {SeriesUid} (study {StudyUid}, generation {Generation}, {Instances} instances from {CallingAe}) goes to {Bundles}")]
    public static partial void Routed(ILogger logger, string seriesUid, string studyUid, int generation, int instances, string callingAe, string bundles);

    [LoggerMessage(EventId = 7002, Level = LogLevel.Warning, Message = "Series {SeriesUid} (study {StudyUid}) was taken by no bundle: {Reasons}")]
    public static partial void Unrouted(ILogger logger, string seriesUid, string studyUid, string reasons);

    [LoggerMessage(EventId = 7003, Level = LogLevel.Information, Message = "Job {JobId} ({BundleId} {Version}, series {SeriesUid}) wrote {ResultUid} in {Seconds:F2} s")]
    public static partial void Processed(ILogger logger, string jobId, string bundleId, string version, string seriesUid, string resultUid, double seconds);

    [LoggerMessage(EventId = 7004, Level = LogLevel.Error, Message = "Job {JobId} ({BundleId}, series {SeriesUid}) failed in {Stage}: {Error}")]
    public static partial void JobFailed(ILogger logger, string jobId, string bundleId, string seriesUid, string stage, string error);

    [LoggerMessage(EventId = 7005, Level = LogLevel.Information, Message = "Job {JobId}: result delivered to {Destination}")]
    public static partial void Delivered(ILogger logger, string jobId, string destination);

    [LoggerMessage(EventId = 7006, Level = LogLevel.Error, Message = "Job {JobId}: result dead-lettered for {Destination}: {Error}")]
    public static partial void DeadLettered(ILogger logger, string jobId, string destination, string error);

    [LoggerMessage(EventId = 7007, Level = LogLevel.Information, Message = "Resuming {Jobs} unfinished jobs of {Series} series; {Waiting} wait for delivery")]
    public static partial void Resuming(ILogger logger, int jobs, int series, int waiting);

    [LoggerMessage(EventId = 7008, Level = LogLevel.Warning, Message = "Stopping: {Groups} series still running after the grace period are left for the next start")]
    public static partial void LeftRunning(ILogger logger, int groups);

    [LoggerMessage(EventId = 7009, Level = LogLevel.Information, Message = "Job {JobId} interrupted by the stop; it runs again at the next start")]
    public static partial void Interrupted(ILogger logger, string jobId);

    [LoggerMessage(EventId = 7010, Level = LogLevel.Warning, Message = "Watched folder: {File} not imported: {Reason}")]
    public static partial void NotImported(ILogger logger, string file, string reason);

    [LoggerMessage(EventId = 7011, Level = LogLevel.Information, Message = "Retention removed {Jobs} finished jobs and {Megabytes:F1} MB")]
    public static partial void Retained(ILogger logger, int jobs, double megabytes);

    [LoggerMessage(EventId = 7012, Level = LogLevel.Information, Message = "Shadow job {JobId}: {BundleId} {Version} on series {SeriesUid} agrees {Agreement} with serving job {ServingJobId}; kept on the host")]
    public static partial void ShadowKept(ILogger logger, string jobId, string bundleId, string version, string seriesUid, string agreement, string servingJobId);

    [LoggerMessage(EventId = 7013, Level = LogLevel.Warning, Message = "Job {JobId}: its result was not kept for its shadow job ({Reason}); a restart before the shadow job ends leaves it without a comparison")]
    public static partial void ReferenceNotKept(ILogger logger, string jobId, string reason);
}
