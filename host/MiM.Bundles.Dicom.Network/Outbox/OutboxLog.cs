using Microsoft.Extensions.Logging;

namespace MiM.Bundles.Dicom.Network.Outbox;

/// <summary>The outbox's log messages: one line per job event, never one per file per retry.</summary>
internal static partial class OutboxLog
{
    [LoggerMessage(EventId = 5300, Level = LogLevel.Information, Message = "Outbox {Root} opened: {Pending} pending jobs, {Removed} half-enqueued jobs from an interrupted run removed")]
    public static partial void Opened(ILogger logger, string root, int pending, int removed);

    [LoggerMessage(EventId = 5301, Level = LogLevel.Debug, Message = "Job {Job} queued for {Destination}: {Files} files")]
    public static partial void Enqueued(ILogger logger, string job, string destination, int files);

    [LoggerMessage(EventId = 5302, Level = LogLevel.Information, Message = "Job {Job} delivered to {Destination}: {Files} files in {Attempts} attempts")]
    public static partial void Delivered(ILogger logger, string job, string destination, int files, int attempts);

    [LoggerMessage(EventId = 5303, Level = LogLevel.Warning, Message = "Job {Job} to {Destination}: attempt {Attempt} of {MaxAttempts} failed ({Undelivered} files not delivered), next in {Delay}: {Error}")]
    public static partial void AttemptFailed(ILogger logger, string job, string destination, int attempt, int maxAttempts, int undelivered, TimeSpan delay, string error);

    [LoggerMessage(EventId = 5304, Level = LogLevel.Error, Message = "Job {Job} to {Destination} dead-lettered after {Attempts} attempts ({Undelivered} files not delivered): {Error}")]
    public static partial void DeadLettered(ILogger logger, string job, string destination, int attempts, int undelivered, string error);

    [LoggerMessage(EventId = 5305, Level = LogLevel.Error, Message = "Outbox worker for {Destination} failed a pass; it retries")]
    public static partial void WorkerFailed(ILogger logger, Exception exception, string destination);

    [LoggerMessage(EventId = 5306, Level = LogLevel.Warning, Message = "Outbox folder {Path} has jobs for an unconfigured destination; they wait until it is configured again")]
    public static partial void UnknownDestination(ILogger logger, string path);

    [LoggerMessage(EventId = 5307, Level = LogLevel.Warning, Message = "Job {Job} to {Destination} skipped this pass: {Error}")]
    public static partial void PassFailed(ILogger logger, string job, string destination, string error);
}
